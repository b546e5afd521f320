//! The committed files a dossier is computed from: the corpus, the baselines (function-level,
//! live servers' and clients'), the rows' library facts (`docs/findings/rows.json`), the live
//! servers' and clients' (`docs/findings/live-rows.json`), the reproductions' manifest
//! (`docs/findings/repro/repros.json`), the public reports (`docs/quirks-in-the-wild.md`) and the
//! findings no catalogued quirk carries (`docs/findings/observed.json`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use oauth1_vectors::{load_paths, Corpus};
use serde::Deserialize;

use super::examples::{self, Example};
use super::observed::{self, Observed};
use super::Error;
use crate::baseline::{self, Baseline};

/// The library behind a row, as its dossiers name it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowInfo {
    /// The library (and the API the row drives).
    pub library: String,
    /// The version the matrix runs.
    pub version: String,
    /// Its language.
    pub language: String,
    /// Where the row's adapter (or in-process peer) lives.
    pub adapter: String,
}

// Its `about` field is for people.
#[derive(Debug, Deserialize)]
struct RowsFile {
    rows: BTreeMap<String, RowInfo>,
}

/// The library behind a live server or client, as its dossiers name it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveInfo {
    /// The library (and the API the server or client drives).
    pub library: String,
    /// The version the matrix runs.
    pub version: String,
    /// The framework a server runs under, or the HTTP stack a client sends with.
    pub stack: String,
    /// Its language.
    pub language: String,
    /// Where the server or the capture driver lives.
    pub adapter: String,
}

/// Where the live servers' and clients' library facts are.
pub(super) const LIVE_ROWS_PATH: &str = "docs/findings/live-rows.json";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LiveRowsFile {
    #[serde(rename = "about")]
    _about: String,
    servers: BTreeMap<String, LiveInfo>,
    clients: BTreeMap<String, LiveInfo>,
}

/// A standalone reproduction of one finding.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repro {
    /// The program, from the repository root.
    pub path: String,
    /// What builds it (run once from the repository root), if it is compiled.
    #[serde(default)]
    pub build: Option<String>,
    /// The command that runs it (through `sh -c` from the repository root; `{python}` is the
    /// adapters' virtual environment's interpreter).
    pub run: String,
}

// Its `about` field is for people: the contract of a reproduction.
#[derive(Debug, Deserialize)]
struct ReprosFile {
    repros: BTreeMap<String, Repro>,
}

/// One row of `docs/quirks-in-the-wild.md`.
#[derive(Debug, Clone)]
pub struct WildReport {
    /// The report's link.
    pub link: String,
    /// Language.
    pub language: String,
    /// Library or product.
    pub library: String,
    /// The root-cause class.
    pub class: String,
}

/// Everything a dossier reads.
#[derive(Debug)]
pub struct Sources {
    /// The corpus (`vectors/`).
    pub corpus: Corpus,
    vectors: PathBuf,
    baselines: PathBuf,
    rows: BTreeMap<String, RowInfo>,
    repros: BTreeMap<String, Repro>,
    wild: Vec<WildReport>,
    /// Each adapter row's command (`adapters/*/adapter.json`), as `run --adapter` takes it.
    adapter_commands: BTreeMap<String, String>,
    /// Each capture client's command (`adapters/*/adapter.json` `clients`), as `capture --exec`
    /// takes it.
    client_commands: BTreeMap<String, String>,
    servers: BTreeMap<String, LiveInfo>,
    clients: BTreeMap<String, LiveInfo>,
    /// The recorded smallest inputs of generated-only findings, by dossier id.
    examples: BTreeMap<String, Example>,
    /// The findings no catalogued quirk carries, by dossier id.
    observed: BTreeMap<String, Observed>,
}

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_owned(), source })
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Error> {
    serde_json::from_str(&read(path)?).map_err(|source| Error::Parse { path: path.to_owned(), source })
}

impl Sources {
    /// Reads them from the repository at `root` (vectors from `vectors`, baselines from
    /// `baselines`, both relative to the current directory when relative).
    ///
    /// # Errors
    ///
    /// A file that cannot be read or parsed, or an invalid vector file.
    pub fn load(root: &Path, vectors: &Path, baselines: &Path) -> Result<Self, Error> {
        let corpus = load_paths(&[vectors.to_path_buf()])
            .map_err(|errors| Error::Vectors { vectors: vectors.to_path_buf(), errors })?;
        let rows: RowsFile = parse(&root.join("docs/findings/rows.json"))?;
        let repros: ReprosFile = parse(&root.join("docs/findings/repro/repros.json"))?;
        let wild = parse_wild(&read(&root.join("docs/quirks-in-the-wild.md"))?);
        let (adapter_commands, client_commands) = adapter_commands(&root.join("adapters"))?;
        let live: LiveRowsFile = parse(&root.join(LIVE_ROWS_PATH))?;
        let examples = examples::load(root)?;
        let observed = observed::load(root, &|row| rows.rows.contains_key(row))?;
        Ok(Self {
            corpus,
            vectors: vectors.to_path_buf(),
            baselines: baselines.to_path_buf(),
            rows: rows.rows,
            repros: repros.repros,
            wild,
            adapter_commands,
            client_commands,
            servers: live.servers,
            clients: live.clients,
            examples,
            observed,
        })
    }

    /// A vector file's path as the repository names it (`vectors/…`), whatever directory the
    /// corpus was read from, so the dossiers do not depend on it.
    #[must_use]
    pub fn vector_path(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.vectors).unwrap_or(path);
        format!("vectors/{}", relative.display())
    }

    /// The row's library facts.
    ///
    /// # Errors
    ///
    /// `rows.json` does not name it.
    pub fn row(&self, row: &str) -> Result<&RowInfo, Error> {
        self.rows
            .get(row)
            .ok_or_else(|| Error::UnknownRow { row: row.to_owned(), known: self.rows.keys().cloned().collect() })
    }

    /// The row's baseline; a row without one has no findings yet, which is an error here.
    ///
    /// # Errors
    ///
    /// An unknown row, no baseline file, or one that cannot be read.
    pub fn baseline(&self, row: &str) -> Result<Baseline, Error> {
        self.row(row)?;
        let path = baseline::baseline_path(&self.baselines, row);
        if !path.is_file() {
            return Err(Error::NoBaseline { row: row.to_owned(), path });
        }
        Ok(baseline::load(&path, row)?)
    }

    /// The rows of `rows.json` that have a baseline, sorted.
    #[must_use]
    pub fn rows_with_baselines(&self) -> Vec<String> {
        self.rows.keys().filter(|row| baseline::baseline_path(&self.baselines, row).is_file()).cloned().collect()
    }

    /// The reproduction of the dossier `id`, if there is one.
    #[must_use]
    pub fn repro(&self, id: &str) -> Option<&Repro> {
        self.repros.get(id)
    }

    /// The recorded smallest input of the generated-only finding `id`.
    #[must_use]
    pub fn example(&self, id: &str) -> Option<&Example> {
        self.examples.get(id)
    }

    /// The ids the examples file has entries for.
    pub fn example_ids(&self) -> impl Iterator<Item = &String> {
        self.examples.keys()
    }

    /// Replaces the examples (what `dossier --record-examples` recorded).
    pub fn set_examples(&mut self, examples: BTreeMap<String, Example>) {
        self.examples = examples;
    }

    /// The examples file's text.
    #[must_use]
    pub fn examples_json(&self) -> String {
        examples::to_json(&self.examples)
    }

    /// The command of an adapter row (`None`: an in-process row).
    #[must_use]
    pub fn adapter_command(&self, row: &str) -> Option<&str> {
        self.adapter_commands.get(row).map(String::as_str)
    }

    /// The findings no catalogued quirk carries, by dossier id.
    pub fn observed(&self) -> impl Iterator<Item = (&String, &Observed)> {
        self.observed.iter()
    }

    /// The command of a capture client (`adapters/*/adapter.json` `clients`).
    #[must_use]
    pub fn client_command(&self, client: &str) -> Option<&str> {
        self.client_commands.get(client).map(String::as_str)
    }

    /// The live server's library facts (`server` without `+nginx-tls`).
    #[must_use]
    pub fn server(&self, server: &str) -> Option<&LiveInfo> {
        self.servers.get(server)
    }

    /// The live client's library facts.
    #[must_use]
    pub fn client(&self, client: &str) -> Option<&LiveInfo> {
        self.clients.get(client)
    }

    /// Every name `dossier --impl` takes: the rows, the live servers and the live clients.
    #[must_use]
    pub fn known_names(&self) -> Vec<String> {
        self.rows.keys().chain(self.servers.keys()).chain(self.clients.keys()).cloned().collect()
    }

    /// The live servers' baselines (`adapters/baselines/live/`).
    #[must_use]
    pub fn live_baselines(&self) -> PathBuf {
        self.baselines.join("live")
    }

    /// The live clients' baselines (`adapters/baselines/clients/`).
    #[must_use]
    pub fn client_baselines(&self) -> PathBuf {
        self.baselines.join("clients")
    }

    /// The public reports `docs/quirks-in-the-wild.md` lists under `link`.
    #[must_use]
    pub fn wild_report(&self, link: &str) -> Option<&WildReport> {
        self.wild.iter().find(|report| report.link == link)
    }
}

#[derive(Debug, Deserialize)]
struct AdapterManifest {
    #[serde(default)]
    rows: Vec<AdapterRow>,
    #[serde(default)]
    clients: Vec<AdapterRow>,
}

#[derive(Debug, Deserialize)]
struct AdapterRow {
    name: String,
    command: String,
}

/// Commands by row or client name.
type Commands = BTreeMap<String, String>;

/// Every adapter row's command and every capture client's, read from `adapters/*/adapter.json`
/// (only `rows` and `clients`: the rest of a manifest is setup's business).
fn adapter_commands(adapters: &Path) -> Result<(Commands, Commands), Error> {
    let mut commands = BTreeMap::new();
    let mut clients = BTreeMap::new();
    let entries = fs::read_dir(adapters).map_err(|source| Error::Read { path: adapters.to_owned(), source })?;
    let mut manifests: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path().join("adapter.json")).collect();
    manifests.sort();
    for path in manifests.into_iter().filter(|p| p.is_file()) {
        let manifest: AdapterManifest = parse(&path)?;
        for row in manifest.rows {
            commands.insert(row.name, row.command);
        }
        for client in manifest.clients {
            clients.insert(client.name, client.command);
        }
    }
    Ok((commands, clients))
}

/// The report rows of `docs/quirks-in-the-wild.md`: `| # | <link> | language | library | side |
/// what happened | class | … |`. Cells may hold escaped pipes (`\|`), which are not separators.
fn parse_wild(text: &str) -> Vec<WildReport> {
    text.lines()
        .filter_map(|line| {
            let cells: Vec<String> =
                line.replace("\\|", "\u{1}").split('|').map(|cell| cell.trim().replace('\u{1}', "|")).collect();
            let link = cells.get(2)?.strip_prefix('<')?.strip_suffix('>')?.to_owned();
            Some(WildReport {
                link,
                language: cells.get(3)?.clone(),
                library: cells.get(4)?.clone(),
                class: cells.get(7)?.clone(),
            })
        })
        .collect()
}
