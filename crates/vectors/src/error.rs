//! The error type of loading and validation.

use std::fmt;

use crate::printable::printable;

/// One problem found in a vector file or across the corpus.
///
/// Displays as `FILE: case ID: at JSON_PATH: MESSAGE`, leaving out the parts that are
/// not known (a file-level problem has no case id; an unreadable file has no JSON path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorError {
    /// The file, as given to the loader (or the name passed to [`crate::parse_file`]).
    pub file: String,
    /// The id of the case concerned, when there is one and it could be read.
    pub case_id: Option<String>,
    /// Where in the file, e.g. `cases[3].oauth.timestmp`; `None` for the file as a whole.
    pub json_path: Option<String>,
    /// What is wrong. Syntax and type errors end with `(line L, column C)`.
    pub message: String,
}

impl VectorError {
    pub(crate) fn new(file: &str, message: impl Into<String>) -> Self {
        Self { file: file.to_owned(), case_id: None, json_path: None, message: message.into() }
    }

    pub(crate) fn at(mut self, json_path: impl Into<String>) -> Self {
        self.json_path = Some(json_path.into());
        self
    }

    pub(crate) fn in_case(mut self, case_id: Option<&str>) -> Self {
        self.case_id = case_id.map(str::to_owned);
        self
    }
}

/// The longest case id shown whole in a message; the schema allows 120 characters, and an id
/// that breaks the rule may be of any length.
const SHOWN_ID_CHARS: usize = 120;

impl fmt::Display for VectorError {
    /// Every part is passed through [`printable`]: the file name, case id and message may
    /// quote the file's contents, which must not reach a terminal raw.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", printable(&self.file))?;
        if let Some(id) = &self.case_id {
            let length = id.chars().count();
            if length > SHOWN_ID_CHARS {
                let start: String = id.chars().take(SHOWN_ID_CHARS).collect();
                write!(f, "case {}… ({length} characters): ", printable(&start))?;
            } else {
                write!(f, "case {}: ", printable(id))?;
            }
        }
        if let Some(path) = &self.json_path {
            write!(f, "at {}: ", printable(path))?;
        }
        f.write_str(&printable(&self.message))
    }
}

impl std::error::Error for VectorError {}
