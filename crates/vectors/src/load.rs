//! Loading a corpus from files and directories, with the checks across files.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::VectorError;
use crate::model::{Case, VectorFile};
use crate::parse::parse_file;

/// The largest vector file read (256 MiB): the corpus is under 1 MiB, and a file is held in
/// memory several times over while it is parsed, so a larger one is a mistake (a log, a
/// disk image, `/dev/zero`) to refuse before reading it, not after.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One successfully loaded vector file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedFile {
    /// The path it was read from (a directory argument joined with the file's relative path).
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The parsed contents.
    pub file: VectorFile,
}

/// A validated set of vector files: case ids are unique across all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    /// The files, in load order.
    pub files: Vec<LoadedFile>,
}

impl Corpus {
    /// Every case with the file it comes from, in load order.
    pub fn cases(&self) -> impl Iterator<Item = (&LoadedFile, &Case)> + '_ {
        self.files.iter().flat_map(|loaded| loaded.file.cases.iter().map(move |case| (loaded, case)))
    }

    /// The case with the given id, and its file.
    #[must_use]
    pub fn find_case(&self, id: &str) -> Option<(&LoadedFile, &Case)> {
        self.cases().find(|(_, case)| case.id == id)
    }
}

/// Loads and validates a corpus.
///
/// Each path is a file, loaded as given, or a directory, standing for every `*.json` file
/// below it (recursively, in sorted path order) except those named `schema.json`. A file
/// reached twice is loaded once. Every file is checked by [`parse_file`]; across files,
/// case ids must be unique, and the corpus must hold at least one case.
///
/// # Errors
///
/// Every problem found in any file, or across them; files with problems are still all read.
pub fn load_paths(paths: &[PathBuf]) -> Result<Corpus, Vec<VectorError>> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    let mut seen_files = HashSet::new();
    for path in paths {
        for file in expand(path, &mut errors) {
            let key = fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if seen_files.insert(key) {
                files.push(file);
            }
        }
    }

    let mut loaded = Vec::new();
    for path in files {
        match load_file(&path) {
            Ok(file) => loaded.push(file),
            Err(mut errs) => errors.append(&mut errs),
        }
    }

    let mut first_seen: HashMap<&str, (&Path, usize)> = HashMap::new();
    for file in &loaded {
        for (index, case) in file.file.cases.iter().enumerate() {
            if let Some((first_path, first_index)) = first_seen.get(case.id.as_str()) {
                errors.push(
                    VectorError::new(
                        &file.path.display().to_string(),
                        format!("duplicate case id; first defined in {} at cases[{first_index}]", first_path.display()),
                    )
                    .at(format!("cases[{index}].id"))
                    .in_case(Some(&case.id)),
                );
            } else {
                first_seen.insert(&case.id, (&file.path, index));
            }
        }
    }

    if errors.is_empty() && first_seen.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let name = if names.is_empty() { "(no paths given)".to_owned() } else { names.join(", ") };
        errors.push(VectorError::new(&name, format!("the corpus is empty: no test cases in {} file(s)", loaded.len())));
    }

    if errors.is_empty() {
        Ok(Corpus { files: loaded })
    } else {
        Err(errors)
    }
}

/// The files a path stands for.
fn expand(path: &Path, errors: &mut Vec<VectorError>) -> Vec<PathBuf> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let mut found = Vec::new();
            let mut visited = HashSet::new();
            walk(path, &mut found, &mut visited, errors);
            found.sort();
            found
        }
        Ok(_) => vec![path.to_owned()],
        Err(e) => {
            errors.push(VectorError::new(&path.display().to_string(), format!("cannot read: {e}")));
            Vec::new()
        }
    }
}

/// Collects the vector files below `dir`, following symbolic links but not in circles.
fn walk(dir: &Path, found: &mut Vec<PathBuf>, visited: &mut HashSet<PathBuf>, errors: &mut Vec<VectorError>) {
    if let Ok(real) = fs::canonicalize(dir) {
        if !visited.insert(real) {
            return;
        }
    }
    let cannot_read =
        |e: std::io::Error| VectorError::new(&dir.display().to_string(), format!("cannot read directory: {e}"));
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(cannot_read(e));
            return;
        }
    };
    for entry in entries {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                errors.push(cannot_read(e));
                continue;
            }
        };
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, found, visited, errors),
            Ok(_) => {
                let is_json = path.extension().is_some_and(|ext| ext == "json");
                let is_schema = path.file_name().is_some_and(|name| name == "schema.json");
                if is_json && !is_schema {
                    found.push(path);
                }
            }
            Err(e) => errors.push(VectorError::new(&path.display().to_string(), format!("cannot read: {e}"))),
        }
    }
}

/// Reads, hashes and parses one file.
fn load_file(path: &Path) -> Result<LoadedFile, Vec<VectorError>> {
    let name = path.display().to_string();
    let bytes = read_regular_file(path, MAX_FILE_BYTES).map_err(|message| vec![VectorError::new(&name, message)])?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![VectorError::new(
            &name,
            format!("file is not valid UTF-8 (invalid byte sequence at byte offset {})", e.utf8_error().valid_up_to()),
        )]
    })?;
    let file = parse_file(&name, &text)?;
    Ok(LoadedFile { path: path.to_owned(), sha256, file })
}

/// The bytes of the regular file at `path`, at most `max` of them. Anything else is refused
/// by name before a byte is read: a FIFO would block the loader forever, a device such as
/// `/dev/zero` never ends, a socket or a directory has no content to parse.
///
/// The file is opened non-blocking (so opening a FIFO swapped in after the check cannot hang
/// either), its type checked on the open handle, and read through a reader that stops one
/// byte past `max`, so a file that grows while it is read is still bounded.
fn read_regular_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let not_regular = |meta: &fs::Metadata| {
        format!("not a regular file ({}); vector files must be regular files", file_type_name(meta))
    };
    let meta = fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read file: {e}"))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let too_large = || format!("file is larger than {max} bytes, the limit for a vector file");
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read file: {e}"))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// What kind of file `meta` describes, for an error message.
fn file_type_name(meta: &fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    "an unknown kind of file"
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{byte:02x}");
    }
    out
}
