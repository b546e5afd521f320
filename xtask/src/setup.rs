//! `cargo xtask setup [--all]`: installs what the adapters of `adapters/*/adapter.json` need,
//! idempotently.
//!
//! Plain `setup` is quick: the project virtualenv (`.venv/`) with the pinned packages of the
//! pip-only adapters and of the docs. `--all` adds Debian packages, `npm ci` per Node adapter
//! and each adapter's build script. A step that fails is reported with the command that fixes
//! it and makes only its own rows unavailable; the rest go on. What succeeded is recorded
//! under `target/adapters/ready/`, so `cargo xtask conformance` knows which rows can run.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::matrix::{manifests, Manifest};

/// Requirement files installed into `.venv` besides the adapters' own, relative to the root.
const EXTRA_PYTHON_REQUIREMENTS: &[&str] = &["docs/requirements.txt", "xtask/requirements-tests.txt"];

/// The virtualenv's Python, relative to the workspace root.
pub(crate) const VENV_PYTHON: &str = ".venv/bin/python";

/// Debian packages the project's own tests need besides the adapters' (`setup --all`):
/// `chromium` renders the HTML report in `crates/conformance/tests/html_report.rs`;
/// `php-horde-oauth` is what `docs/findings/repro/php/horde_oauth.php` shows cannot load under PHP 8
/// (the library has no row, so no adapter installs it).
const PROJECT_APT_PACKAGES: &[&str] = &["chromium", "php-horde-oauth"];

/// Where readiness stamps live, relative to the workspace root.
const READY_DIR: &str = "target/adapters/ready";

/// The workspace root (the parent of `xtask/`).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

pub(crate) fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{shown} exited with {status}")),
        Err(e) => Err(format!("{shown} could not start: {e}")),
    }
}

/// The files whose content decides whether an adapter must be set up again: its manifest,
/// its dependency files and, when a script builds it, every file of its folder.
fn fingerprint(manifest: &Manifest, root: &Path) -> String {
    let dir = manifest.dir(root);
    let mut files: Vec<PathBuf> = vec![dir.join("adapter.json")];
    if let Some(pip) = &manifest.setup.pip {
        files.push(dir.join(pip));
    }
    if manifest.setup.npm {
        files.push(dir.join("package-lock.json"));
    }
    if manifest.setup.script.is_some() {
        let mut stack = vec![dir];
        while let Some(next) = stack.pop() {
            for entry in fs::read_dir(&next).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    if entry.file_name() != "node_modules" {
                        stack.push(path);
                    }
                } else {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    files.dedup();
    let mut bytes = Vec::new();
    for file in files {
        bytes.extend(file.strip_prefix(root).unwrap_or(&file).to_string_lossy().as_bytes());
        bytes.extend(fs::read(&file).unwrap_or_default());
    }
    format!("{:016x}\n", fnv1a(&bytes))
}

fn ready_stamp(manifest: &Manifest, root: &Path) -> PathBuf {
    root.join(READY_DIR).join(&manifest.folder)
}

/// Whether `manifest` was set up and has not changed since.
pub(crate) fn is_ready(manifest: &Manifest, root: &Path) -> bool {
    fs::read_to_string(ready_stamp(manifest, root)).is_ok_and(|s| s == fingerprint(manifest, root))
}

/// The virtualenv with every requirement file of `selected`; a stamp of their content makes a
/// rerun a no-op.
fn python(root: &Path, selected: &[&Manifest]) -> Result<(), String> {
    let venv = root.join(".venv");
    let python = root.join(VENV_PYTHON);
    let mut files: Vec<PathBuf> = EXTRA_PYTHON_REQUIREMENTS.iter().map(|f| root.join(f)).collect();
    files.extend(selected.iter().filter_map(|m| m.setup.pip.as_ref().map(|pip| m.dir(root).join(pip))));
    let mut content = Vec::new();
    for path in &files {
        content.extend(fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?);
    }
    let stamp_value = format!("{:016x}\n", fnv1a(&content));
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
    // One resolution over every file, so the pins of different adapters are checked together.
    let mut pip = Command::new(&python);
    pip.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]);
    for file in &files {
        pip.arg("-r").arg(file);
    }
    println!("setup: pip install into .venv ({} requirement files)", files.len());
    let shown: Vec<String> = files.iter().map(|f| format!("-r {}", f.display())).collect();
    run(&mut pip).map_err(|e| format!("{e}\n  fix: {} -m pip install {}", python.display(), shown.join(" ")))?;
    fs::write(&stamp, stamp_value).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    println!("setup: .venv ready");
    Ok(())
}

fn apt_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    let apt = |args: &[&str]| {
        let mut command = Command::new("apt-get");
        command.env("DEBIAN_FRONTEND", "noninteractive").args(["-o", "DPkg::Lock::Timeout=600"]).args(args);
        run(&mut command)
    };
    // Recommended packages included: the adapters were installed and tested with a plain
    // `apt-get install`, so CI installs exactly the same set.
    apt(&["install", "-y", "-qq"].iter().chain(packages).copied().collect::<Vec<_>>())
        .map_err(|e| format!("{e}\n  fix: apt-get update && apt-get install -y {}", packages.join(" ")))
}

/// Debian packages of `selected` and [`PROJECT_APT_PACKAGES`]: one `apt-get update` and one
/// install of what is missing; if that fails, each adapter's packages alone, so one bad
/// package fails only its rows, and the project's own alone (`Err` when those fail).
fn apt(selected: &[&Manifest], failed: &mut Vec<(String, String)>) -> Result<(), String> {
    let missing: BTreeSet<&str> = selected
        .iter()
        .flat_map(|m| m.setup.apt.iter().map(String::as_str))
        .chain(PROJECT_APT_PACKAGES.iter().copied())
        .filter(|p| !apt_installed(p))
        .collect();
    if missing.is_empty() {
        println!("setup: Debian packages are installed");
        return Ok(());
    }
    let missing: Vec<&str> = missing.into_iter().collect();
    println!("setup: apt-get install {}", missing.join(" "));
    let update = run(Command::new("apt-get").args(["-o", "DPkg::Lock::Timeout=600", "update", "-qq"]));
    if let Err(e) = update {
        eprintln!("setup: apt-get update failed: {e}");
    }
    if apt_install(&missing).is_ok() {
        return Ok(());
    }
    for manifest in selected {
        let own: Vec<&str> = manifest.setup.apt.iter().map(String::as_str).filter(|p| !apt_installed(p)).collect();
        if !own.is_empty() {
            if let Err(e) = apt_install(&own) {
                failed.push((manifest.folder.clone(), e));
            }
        }
    }
    let own: Vec<&str> = PROJECT_APT_PACKAGES.iter().copied().filter(|p| !apt_installed(p)).collect();
    if own.is_empty() {
        Ok(())
    } else {
        apt_install(&own)
    }
}

fn npm(manifest: &Manifest, root: &Path) -> Result<(), String> {
    let dir = manifest.dir(root);
    let lock =
        fs::read(dir.join("package-lock.json")).map_err(|e| format!("{}: no package-lock.json: {e}", dir.display()))?;
    let stamp = dir.join("node_modules/.xtask-stamp");
    let value = format!("{:016x}\n", fnv1a(&lock));
    if fs::read_to_string(&stamp).is_ok_and(|s| s == value) {
        return Ok(());
    }
    println!("setup: npm ci in {}", dir.display());
    run(Command::new("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]))
        .map_err(|e| format!("{e}\n  fix: install Node.js and npm, then (cd {} && npm ci)", dir.display()))?;
    fs::write(&stamp, value).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

fn script(manifest: &Manifest, root: &Path, script: &str) -> Result<(), String> {
    let path = manifest.dir(root).join(script);
    println!("setup: bash {}", path.strip_prefix(root).unwrap_or(&path).display());
    run(Command::new("bash").current_dir(root).arg(&path))
        .map_err(|e| format!("{e}\n  fix: read the error above, then rerun `bash {}`", path.display()))
}

/// Sets up the quick adapters, or with `all` every adapter. Returns whether everything
/// succeeded; failures are printed with their fix.
pub(crate) fn setup(root: &Path, all: bool) -> bool {
    let manifests = match manifests(root) {
        Ok(manifests) => manifests,
        Err(e) => {
            eprintln!("setup: {e}");
            return false;
        }
    };
    let selected: Vec<&Manifest> = manifests.iter().filter(|m| all || m.quick).collect();
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut tools_ready = true;
    if all {
        if let Err(e) = apt(&selected, &mut failed) {
            eprintln!("setup: the project's own Debian packages are not installed: {e}");
            tools_ready = false;
        }
    }
    let pip_users: Vec<&Manifest> = selected.iter().copied().filter(|m| m.setup.pip.is_some()).collect();
    if let Err(e) = python(root, &pip_users) {
        failed.extend(pip_users.iter().map(|m| (m.folder.clone(), e.clone())));
        eprintln!("setup: the Python environment failed: {e}");
    }
    for manifest in &selected {
        if failed.iter().any(|(folder, _)| *folder == manifest.folder) {
            continue;
        }
        let steps = (|| -> Result<(), String> {
            if manifest.setup.npm {
                npm(manifest, root)?;
            }
            if let Some(name) = &manifest.setup.script {
                script(manifest, root, name)?;
            }
            Ok(())
        })();
        if let Err(e) = steps {
            failed.push((manifest.folder.clone(), e));
        }
    }
    let ready_dir = root.join(READY_DIR);
    if let Err(e) = fs::create_dir_all(&ready_dir) {
        eprintln!("setup: cannot create {}: {e}", ready_dir.display());
        return false;
    }
    for manifest in &selected {
        let stamp = ready_stamp(manifest, root);
        let result = if failed.iter().any(|(folder, _)| *folder == manifest.folder) {
            fs::remove_file(&stamp).or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) })
        } else {
            fs::write(&stamp, fingerprint(manifest, root))
        };
        if let Err(e) = result {
            eprintln!("setup: cannot update {}: {e}", stamp.display());
            return false;
        }
    }
    for (folder, error) in &failed {
        eprintln!("setup: adapters/{folder} is unavailable: {error}");
    }
    let ready = selected.iter().filter(|m| !failed.iter().any(|(folder, _)| *folder == m.folder)).count();
    println!("setup: {ready} of {} adapters ready{}", selected.len(), if all { "" } else { " (--all for the rest)" });
    failed.is_empty() && tools_ready
}
