//! The one kind of case every source produces: a vector case as its file holds it, or a
//! generated request made into an ordinary case whose expected values the reference computed.
//! Both go through the same judge, the same result builder and the same attribution.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use oauth1_vectors::{Case, Corpus};

/// Where a case comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CaseSource {
    /// A vector file (its path as given on the command line).
    Vector(String),
    /// The request generator, with the case's own seed.
    Generated,
}

impl CaseSource {
    /// What reports show: the vector file, or `generated`.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Vector(path) => path,
            Self::Generated => GENERATED,
        }
    }
}

const GENERATED: &str = "generated";

impl fmt::Display for CaseSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for CaseSource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CaseSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(if name == GENERATED { Self::Generated } else { Self::Vector(name) })
    }
}

/// A case as the harness runs it.
#[derive(Debug, Clone)]
pub struct PlannedCase {
    /// The case.
    pub case: Case,
    /// Where it comes from.
    pub source: CaseSource,
    /// For a generated case: its seed (replay it alone with `--case ID`).
    pub seed: Option<u64>,
}

impl PlannedCase {
    /// A vector case.
    #[must_use]
    pub fn from_vector(case: &Case, file: &str) -> Self {
        Self { case: case.clone(), source: CaseSource::Vector(file.to_owned()), seed: None }
    }
}

/// What a generated case exercises, as its id says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeneratedKind {
    /// A request to sign (`generated:SEED`).
    Sign,
    /// A signed, possibly tampered request to verify (`generated-verify:SEED`).
    Verify,
}

impl GeneratedKind {
    /// The id of the generated case of this kind with `seed`.
    #[must_use]
    pub fn case_id(self, seed: u64) -> String {
        match self {
            Self::Sign => format!("generated:{seed}"),
            Self::Verify => format!("generated-verify:{seed}"),
        }
    }

    /// The kind and seed of a generated case, from its id; `None` for a vector case.
    #[must_use]
    pub fn parse_id(id: &str) -> Option<(Self, u64)> {
        let (kind, seed) = match id.split_once(':')? {
            ("generated", seed) => (Self::Sign, seed),
            ("generated-verify", seed) => (Self::Verify, seed),
            _ => return None,
        };
        Some((kind, seed.parse().ok()?))
    }
}

/// A `--shard` that is not `I/N` with `1 <= I <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--shard takes I/N with 1 <= I <= N, got {given:?}")]
pub struct ShardError {
    /// The text given.
    pub given: String,
}

/// A deterministic `index`-th of `count` part of a run (`--shard INDEX/COUNT`, INDEX from 1):
/// every case of a run lands in exactly one shard, whatever the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    /// How many shards the run is cut into.
    pub count: u32,
}

impl Shard {
    /// The whole run.
    pub const WHOLE: Self = Self { index: 1, count: 1 };

    /// Parses `I/N` with `1 <= I <= N`.
    ///
    /// # Errors
    ///
    /// Anything else.
    pub fn parse(text: &str) -> Result<Self, ShardError> {
        let parsed = text.split_once('/').and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((index, count)) if index >= 1 && index <= count => Ok(Self { index, count }),
            _ => Err(ShardError { given: text.to_owned() }),
        }
    }

    /// Whether the case at `position` of its stream (corpus order, or generated index) is in
    /// this shard.
    #[must_use]
    pub fn contains(self, position: u64) -> bool {
        position % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// The corpus cases in `shard`, in corpus order.
#[must_use]
pub fn corpus_cases(corpus: &Corpus, shard: Shard) -> Vec<PlannedCase> {
    corpus
        .cases()
        .enumerate()
        .filter(|(position, _)| shard.contains(*position as u64))
        .map(|(_, (file, case))| PlannedCase::from_vector(case, &file.path.display().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_round_trip() {
        for kind in [GeneratedKind::Sign, GeneratedKind::Verify] {
            assert_eq!(GeneratedKind::parse_id(&kind.case_id(1_481_179_137)), Some((kind, 1_481_179_137)));
        }
        assert_eq!(GeneratedKind::parse_id("rfc5849-3.4.1-hmac-sha1"), None);
        assert_eq!(GeneratedKind::parse_id("generated:x"), None);
    }

    #[test]
    fn shards_partition_a_run() {
        assert!(Shard::parse("0/3").is_err() && Shard::parse("4/3").is_err() && Shard::parse("1").is_err());
        let shards: Vec<Shard> = (1..=3).map(|i| Shard::parse(&format!("{i}/3")).unwrap()).collect();
        for position in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.contains(position)).count(), 1);
        }
        assert!((0..10).all(|p| Shard::WHOLE.contains(p)));
    }

    #[test]
    fn sources_serialize_as_reports_show_them() {
        let generated = serde_json::to_string(&CaseSource::Generated).unwrap();
        assert_eq!(generated, "\"generated\"");
        assert_eq!(serde_json::from_str::<CaseSource>(&generated).unwrap(), CaseSource::Generated);
        let file = CaseSource::Vector("vectors/rfc5849.json".into());
        assert_eq!(serde_json::from_str::<CaseSource>(&serde_json::to_string(&file).unwrap()).unwrap(), file);
    }
}
