//! Writing a file so that its path holds either its old content or the complete new one,
//! never a part: a report or a baseline cut short by a kill, a crash or a full disk would be
//! read later as if it were whole.
//!
//! The new content goes to a temporary file in the same directory (so that the rename cannot
//! cross file systems), is flushed to disk, and is renamed over the path; the directory is
//! then flushed so that the rename itself survives a crash. A kill before the rename leaves
//! the old file and a hidden `.NAME.*.tmp` beside it; after, the new file.

use std::io::{self, Write as _};
use std::path::Path;

use tempfile::NamedTempFile;

/// Replaces the content of `path` with `contents`, atomically. The file is created with the
/// permissions `std::fs::write` would give it (0666 less the umask).
///
/// # Errors
///
/// Creating, writing, flushing or renaming the temporary file failed; the message names
/// `path`, and `path` is unchanged.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_all_atomically(&[(path, contents)])
}

/// Replaces several files: every new content is written and flushed to its temporary file
/// before the first is renamed into place, so a failure while writing (a full disk, say)
/// changes none of them. The renames themselves can still fail one by one, which a local
/// file system practically never does once the temporary files exist.
///
/// # Errors
///
/// As [`write_atomically`], for the first file that failed.
pub fn write_all_atomically(files: &[(&Path, &[u8])]) -> io::Result<()> {
    let staged = files
        .iter()
        .map(|&(path, contents)| stage(path, |file| file.write_all(contents)))
        .collect::<io::Result<Vec<_>>>()?;
    for (&(path, _), temporary) in files.iter().zip(staged) {
        temporary.persist(path).map_err(|e| named(path, "cannot rename the new content into place", &e.error))?;
        sync_directory(path);
    }
    Ok(())
}

/// Replaces the content of `path` with what `write` writes, atomically: a large report is
/// streamed into the temporary file, never held whole in memory.
///
/// # Errors
///
/// As [`write_atomically`], or what `write` returned.
pub fn stream_atomically(path: &Path, write: impl FnOnce(&mut std::fs::File) -> io::Result<()>) -> io::Result<()> {
    let temporary = stage(path, write)?;
    temporary.persist(path).map_err(|e| named(path, "cannot rename the new content into place", &e.error))?;
    sync_directory(path);
    Ok(())
}

/// The new content of `path`, as `write` writes it, in a flushed temporary file beside it (the
/// directory created when missing).
fn stage(path: &Path, write: impl FnOnce(&mut std::fs::File) -> io::Result<()>) -> io::Result<NamedTempFile> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(directory).map_err(|e| named(path, "cannot create its directory", &e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // The mode `open` is given; the umask still applies, as for `std::fs::write`.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary =
        builder.tempfile_in(directory).map_err(|e| named(path, "cannot create a temporary file", &e))?;
    write(temporary.as_file_mut()).map_err(|e| named(path, "cannot write", &e))?;
    temporary.as_file().sync_all().map_err(|e| named(path, "cannot flush", &e))?;
    Ok(temporary)
}

/// Flushes the directory entry of `path`. Some file systems cannot flush a directory; the
/// rename has happened anyway, so a failure here is not reported.
fn sync_directory(path: &Path) {
    let directory = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(directory) = std::fs::File::open(directory) {
        let _ = directory.sync_all();
    }
}

fn named(path: &Path, what: &str, error: &io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {what}: {error}", path.display()))
}
