//! `cargo xtask setup`: installs what the external implementations need, idempotently.
//!
//! Today that is the project-local Python virtualenv (`.venv/`) with the pinned packages of
//! every Python adapter. A stamp of the requirements' hash makes a rerun a no-op when
//! nothing changed. A failure says which command to run by hand, and never stops the
//! implementations that do not need it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The requirement files installed into `.venv`, relative to the workspace root.
const PYTHON_REQUIREMENTS: &[&str] = &["adapters/python-oauthlib/requirements.txt", "docs/requirements.txt"];

/// The virtualenv's Python, relative to the workspace root.
pub(crate) const VENV_PYTHON: &str = ".venv/bin/python";

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{shown} exited with {status}")),
        Err(e) => Err(format!("{shown} could not start: {e}")),
    }
}

/// Creates `.venv` and installs the pinned Python packages; returns an error message naming
/// the command that fixes it.
pub(crate) fn python(root: &Path) -> Result<(), String> {
    let venv = root.join(".venv");
    let python = root.join(VENV_PYTHON);
    let mut requirements = Vec::new();
    for file in PYTHON_REQUIREMENTS {
        let path = root.join(file);
        let text = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        requirements.push((path, text));
    }
    let stamp_value =
        format!("{:016x}\n", fnv1a(&requirements.iter().flat_map(|(_, t)| t.clone()).collect::<Vec<u8>>()));
    let stamp = venv.join(".requirements-stamp");
    if python.exists() && fs::read_to_string(&stamp).is_ok_and(|s| s == stamp_value) {
        println!("setup: .venv is up to date");
        return Ok(());
    }
    if !python.exists() {
        println!("setup: creating .venv");
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).map_err(|e| {
            format!(
                "{e}\n  fix: install Python 3 with venv (apt-get install python3-venv), then rerun `cargo xtask setup`"
            )
        })?;
    }
    for (path, _) in &requirements {
        println!("setup: pip install -r {}", path.display());
        run(Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(path))
        .map_err(|e| format!("{e}\n  fix: {} -m pip install -r {}", python.display(), path.display()))?;
    }
    fs::write(&stamp, stamp_value).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    println!("setup: .venv ready");
    Ok(())
}

/// `cargo xtask setup`: every installable runtime; failures are reported, not fatal to the
/// others. Returns whether everything succeeded.
pub(crate) fn all(root: &Path) -> bool {
    match python(root) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("setup: the Python adapters are unavailable: {e}");
            false
        }
    }
}

/// The workspace root.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
