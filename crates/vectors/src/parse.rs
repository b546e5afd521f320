//! Strict parsing and per-file validation of one vector file.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fmt::Write as _;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::VectorError;
use crate::model::{
    Case, CaseBody, CaseKind, Expectation, OAuthParams, ParseHeaderCase, ParseHeaderExpected, SignCase, SignExpected,
    SignRequest, SignSecrets, VectorFile, VerifyCase, VerifyExpected, VerifyRequest, VerifySecrets, FORMAT,
};
use crate::serde_helpers::ordered_map;

/// Parses and validates the text of one vector file.
///
/// `path_for_messages` names the file in errors. Every case is parsed on its own, so one
/// bad case does not hide problems in the others; all problems found are returned, in file
/// order. Besides the shape of the JSON (unknown fields, missing fields, wrong types),
/// this checks what can be checked within one file: the `format`, case ids (non-empty and
/// unique in the file), flags (declared in the file's table, not repeated in a case, at
/// least one on an `acceptable` case), that a `sign` case expects at least one stage and
/// that a `valid` `parse_header` case lists its `params`.
///
/// # Errors
///
/// Every problem found, when there is at least one.
pub fn parse_file(path_for_messages: &str, text: &str) -> Result<VectorFile, Vec<VectorError>> {
    let mut parser = Parser { file: path_for_messages, text, line_starts: OnceCell::new(), errors: Vec::new() };
    match parser.parse() {
        Some(file) if parser.errors.is_empty() => Ok(file),
        _ => Err(parser.errors),
    }
}

/// The top-level fields of a file.
const FILE_FIELDS: [&str; 4] = ["format", "description", "flags", "cases"];

struct Parser<'t> {
    file: &'t str,
    text: &'t str,
    /// Byte offsets at which lines start, built on the first error that needs it.
    line_starts: OnceCell<Vec<usize>>,
    errors: Vec<VectorError>,
}

impl<'t> Parser<'t> {
    fn parse(&mut self) -> Option<VectorFile> {
        if self.text.starts_with('\u{feff}') {
            self.errors
                .push(VectorError::new(self.file, "file starts with a byte order mark (U+FEFF); JSON text must not"));
            return None;
        }
        let top = match serde_json::from_str::<RawObject<'t>>(self.text) {
            Ok(top) => top,
            Err(e) => {
                let message = self.describe(&e, None);
                self.errors.push(VectorError::new(self.file, message));
                return None;
            }
        };

        let mut format = None;
        let mut description = None;
        let mut flags = None;
        let mut cases_raw = None;
        let mut seen: Vec<&str> = Vec::new();
        for (key, raw) in &top.0 {
            if seen.contains(&key.as_str()) {
                self.push(None, key, format!("duplicate field `{key}`"));
                continue;
            }
            seen.push(key);
            match key.as_str() {
                "format" => format = self.field::<String>(raw, "format", None),
                "description" => description = self.field::<String>(raw, "description", None),
                "flags" => {
                    flags = self.field::<FlagsTable>(raw, "flags", None).map(|table| table.0);
                }
                "cases" => cases_raw = self.field::<Vec<&'t RawValue>>(raw, "cases", None),
                other => self.push(None, other, unknown_field(other, &FILE_FIELDS)),
            }
        }
        for name in FILE_FIELDS {
            if !seen.contains(&name) {
                self.errors.push(VectorError::new(self.file, format!("missing field `{name}`")));
            }
        }
        if let Some(found) = &format {
            if found != FORMAT {
                self.push(None, "format", format!("unsupported format {found:?}; expected {FORMAT:?}"));
            }
        }

        let mut cases = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (index, raw) in cases_raw.unwrap_or_default().into_iter().enumerate() {
            if let Some(case) = self.case(index, raw) {
                self.check_case(index, &case, flags.as_deref(), &mut ids);
                cases.push(case);
            }
        }

        Some(VectorFile { format: format?, description: description?, flags: flags?, cases })
    }

    /// Parses `cases[index]`, recording any problem.
    fn case(&mut self, index: usize, raw: &'t RawValue) -> Option<Case> {
        let path = format!("cases[{index}]");
        let fields = self.field::<RawObject<'t>>(raw, &path, None)?;
        let id = fields.get("id").and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        let id = id.as_deref();
        let Some(kind_raw) = fields.get("kind") else {
            self.push(id, &path, "missing field `kind`".to_owned());
            return None;
        };
        let kind = self.field::<CaseKind>(kind_raw, &format!("{path}.kind"), id)?;
        match kind {
            CaseKind::Sign => self.field::<SignRepr>(raw, &path, id).map(Case::from),
            CaseKind::ParseHeader => self.field::<ParseHeaderRepr>(raw, &path, id).map(Case::from),
            CaseKind::Verify => self.field::<VerifyRepr>(raw, &path, id).map(Case::from),
        }
    }

    /// The checks on a parsed case that the types cannot express.
    fn check_case(
        &mut self,
        index: usize,
        case: &Case,
        declared: Option<&[(String, String)]>,
        ids: &mut HashMap<String, usize>,
    ) {
        let path = format!("cases[{index}]");
        let id = Some(case.id.as_str());
        if case.id.is_empty() {
            self.push(id, &format!("{path}.id"), "case id must not be empty".to_owned());
        } else if let Err(why) = check_case_id(&case.id) {
            self.push(id, &format!("{path}.id"), why);
        } else if let Some(first) = ids.get(&case.id) {
            self.push(id, &format!("{path}.id"), format!("duplicate case id; first defined at cases[{first}]"));
        } else {
            ids.insert(case.id.clone(), index);
        }

        // Sets, not scans: a hostile file may list any number of flags.
        let declared_names: Option<HashSet<&str>> = declared.map(|d| d.iter().map(|(name, _)| name.as_str()).collect());
        let mut listed = HashSet::with_capacity(case.flags.len());
        for (k, flag) in case.flags.iter().enumerate() {
            let flag_path = format!("{path}.flags[{k}]");
            if !listed.insert(flag.as_str()) {
                self.push(id, &flag_path, format!("flag `{flag}` is listed twice"));
            } else if let (Some(declared), Some(declared_names)) = (declared, &declared_names) {
                if !declared_names.contains(flag.as_str()) {
                    let names: Vec<&str> = declared.iter().map(|(n, _)| n.as_str()).collect();
                    self.push(
                        id,
                        &flag_path,
                        format!(
                            "flag `{flag}` is not declared in the file's `flags` table \
                             (declared: {})",
                            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
                        ),
                    );
                }
            }
        }
        if case.result == Expectation::Acceptable && case.flags.is_empty() {
            self.push(
                id,
                &format!("{path}.flags"),
                "an `acceptable` case must carry at least one flag saying why".to_owned(),
            );
        }

        match &case.body {
            CaseBody::Sign(sign) if !sign.expected.has_any_stage() => self.push(
                id,
                &format!("{path}.expected"),
                format!("a sign case must expect at least one stage (one of {})", SignExpected::STAGES.join(", ")),
            ),
            CaseBody::ParseHeader(parse) if case.result == Expectation::Valid && parse.expected.params.is_none() => {
                self.push(
                    id,
                    &format!("{path}.expected.params"),
                    "a `valid` parse_header case must list the expected `params`".to_owned(),
                );
            }
            _ => {}
        }
    }

    /// Deserializes `raw` (found at `path`), recording the exact path of any problem.
    fn field<T: Deserialize<'t>>(&mut self, raw: &'t RawValue, path: &str, case_id: Option<&str>) -> Option<T> {
        let mut de = serde_json::Deserializer::from_str(raw.get());
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(value) => Some(value),
            Err(e) => {
                let full_path = join_path(path, e.path());
                let message = self.describe(e.inner(), Some(raw));
                self.push(case_id, &full_path, message);
                None
            }
        }
    }

    fn push(&mut self, case_id: Option<&str>, json_path: &str, message: String) {
        self.errors.push(VectorError::new(self.file, message).at(json_path).in_case(case_id));
    }

    /// `serde_json`'s message, with its position made relative to the whole file.
    fn describe(&self, error: &serde_json::Error, within: Option<&RawValue>) -> String {
        let full = error.to_string();
        if error.line() == 0 {
            return full;
        }
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        let (line, column) = match within.and_then(|raw| self.position_of(raw.get())) {
            Some((base_line, base_column)) if error.line() == 1 => (base_line, base_column + error.column() - 1),
            Some((base_line, _)) => (base_line + error.line() - 1, error.column()),
            None => (error.line(), error.column()),
        };
        format!("{message} (line {line}, column {column})")
    }

    /// The 1-based line and column (in bytes, as `serde_json` counts) at which `part`,
    /// a slice of the file's text, starts.
    fn position_of(&self, part: &str) -> Option<(usize, usize)> {
        let offset = part.as_ptr().addr().checked_sub(self.text.as_ptr().addr())?;
        if offset > self.text.len() {
            return None;
        }
        let starts = self
            .line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect());
        let line_index = starts.partition_point(|&start| start <= offset).checked_sub(1)?;
        let line_start = starts.get(line_index)?;
        Some((line_index + 1, offset - line_start + 1))
    }
}

fn join_path(prefix: &str, inner: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = prefix.to_owned();
    for segment in inner {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                out.push('.');
                out.push_str(variant);
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

fn unknown_field(name: &str, allowed: &[&str]) -> String {
    let allowed: Vec<String> = allowed.iter().map(|n| format!("`{n}`")).collect();
    format!("unknown field `{name}`, expected one of {}", allowed.join(", "))
}

/// A JSON object kept as its entries in order, duplicates included, values unparsed.
struct RawObject<'t>(Vec<(String, &'t RawValue)>);

impl<'t> RawObject<'t> {
    fn get(&self, name: &str) -> Option<&'t RawValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }
}

impl<'de> Deserialize<'de> for RawObject<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawObjectVisitor;

        impl<'de> Visitor<'de> for RawObjectVisitor {
            type Value = RawObject<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<&'de RawValue>()?;
                    entries.push((key, value));
                }
                Ok(RawObject(entries))
            }
        }

        deserializer.deserialize_map(RawObjectVisitor)
    }
}

/// The file's `flags` table.
#[derive(Deserialize)]
#[serde(transparent)]
struct FlagsTable(#[serde(with = "ordered_map")] Vec<(String, String)>);

// The per-kind shapes of a case: the common fields are repeated because
// `deny_unknown_fields` does not work through `flatten`.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignRepr {
    id: String,
    #[serde(rename = "kind")]
    _kind: serde::de::IgnoredAny,
    description: String,
    provenance: String,
    flags: Vec<String>,
    result: Expectation,
    request: SignRequest,
    oauth: OAuthParams,
    secrets: SignSecrets,
    expected: SignExpected,
}

impl From<SignRepr> for Case {
    fn from(r: SignRepr) -> Self {
        Case {
            id: r.id,
            description: r.description,
            provenance: r.provenance,
            flags: r.flags,
            result: r.result,
            body: CaseBody::Sign(SignCase {
                request: r.request,
                oauth: r.oauth,
                secrets: r.secrets,
                expected: r.expected,
            }),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParseHeaderRepr {
    id: String,
    #[serde(rename = "kind")]
    _kind: serde::de::IgnoredAny,
    description: String,
    provenance: String,
    flags: Vec<String>,
    result: Expectation,
    header: String,
    expected: ParseHeaderExpected,
}

impl From<ParseHeaderRepr> for Case {
    fn from(r: ParseHeaderRepr) -> Self {
        Case {
            id: r.id,
            description: r.description,
            provenance: r.provenance,
            flags: r.flags,
            result: r.result,
            body: CaseBody::ParseHeader(ParseHeaderCase { header: r.header, expected: r.expected }),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRepr {
    id: String,
    #[serde(rename = "kind")]
    _kind: serde::de::IgnoredAny,
    description: String,
    provenance: String,
    flags: Vec<String>,
    result: Expectation,
    request: VerifyRequest,
    secrets: VerifySecrets,
    now: u64,
    #[serde(default)]
    expected: Option<VerifyExpected>,
}

impl From<VerifyRepr> for Case {
    fn from(r: VerifyRepr) -> Self {
        Case {
            id: r.id,
            description: r.description,
            provenance: r.provenance,
            flags: r.flags,
            result: r.result,
            body: CaseBody::Verify(VerifyCase {
                request: r.request,
                secrets: r.secrets,
                now: r.now,
                expected: r.expected,
            }),
        }
    }
}

/// The largest case id `vectors/schema.json` allows (`$defs.caseId.maxLength`).
const MAX_CASE_ID_CHARS: usize = 120;

/// `vectors/schema.json`'s rule for case ids (`$defs.caseId`): `^[a-z0-9][a-z0-9._-]*$`, at
/// most 120 characters. An id names a file of saved counterexamples, a line of a report and
/// a baseline entry, so `../../x`, a control character or a 100,000-character id is refused
/// here rather than wherever it would do harm.
fn check_case_id(id: &str) -> Result<(), String> {
    let rule = "a case id is lowercase letters, digits, '.', '_' and '-', starting with a letter or digit \
                (vectors/schema.json: ^[a-z0-9][a-z0-9._-]*$, at most 120 characters)";
    let length = id.chars().count();
    if length > MAX_CASE_ID_CHARS {
        return Err(format!("case id is {length} characters long; {rule}"));
    }
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-');
    let starts_well = id.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    match id.char_indices().find(|&(_, c)| !u8::try_from(c).is_ok_and(allowed)) {
        Some((at, c)) => Err(format!("case id has {c:?} at byte {at}; {rule}")),
        None if !starts_well => Err(format!("case id starts with {:?}; {rule}", id.chars().next().unwrap_or(' '))),
        None => Ok(()),
    }
}
