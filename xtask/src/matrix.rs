//! The implementation matrix: every `adapters/<folder>/adapter.json`, the rows it declares
//! and what installing it takes (the format is in `adapters/README.md`).

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One row: a name in reports and the command that starts its adapter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RowManifest {
    pub(crate) name: String,
    /// Run through `sh -c` from the repository root; `{python}` is the virtualenv's Python,
    /// `{root}` the repository root.
    pub(crate) command: String,
}

/// What installing an adapter takes; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetupManifest {
    /// Debian packages.
    #[serde(default)]
    pub(crate) apt: Vec<String>,
    /// A requirements file (relative to the adapter folder) for the shared `.venv`.
    #[serde(default)]
    pub(crate) pip: Option<String>,
    /// `npm ci` in the adapter folder.
    #[serde(default)]
    pub(crate) npm: bool,
    /// A bash script (relative to the adapter folder) run from the repository root last.
    #[serde(default)]
    pub(crate) script: Option<String>,
}

/// One adapter folder's manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    #[serde(skip)]
    pub(crate) folder: String,
    pub(crate) rows: Vec<RowManifest>,
    #[serde(default)]
    pub(crate) setup: SetupManifest,
    /// Installed by plain `cargo xtask setup` (pip-only adapters); the rest need `--all`.
    #[serde(default)]
    pub(crate) quick: bool,
}

impl Manifest {
    pub(crate) fn dir(&self, root: &Path) -> PathBuf {
        root.join("adapters").join(&self.folder)
    }

    /// The command that installs this adapter, for the `unavailable` message.
    pub(crate) fn install_hint(&self) -> &'static str {
        if self.quick {
            "cargo xtask setup"
        } else {
            "cargo xtask setup --all"
        }
    }

    /// The row's command with `{python}` and `{root}` filled in.
    pub(crate) fn command(row: &RowManifest, root: &Path) -> String {
        row.command
            .replace("{python}", &root.join(crate::setup::VENV_PYTHON).display().to_string())
            .replace("{root}", &root.display().to_string())
    }
}

/// Every manifest under `adapters/`, sorted by folder; a malformed one is an error naming
/// its file.
pub(crate) fn manifests(root: &Path) -> Result<Vec<Manifest>, String> {
    let adapters = root.join("adapters");
    let entries = fs::read_dir(&adapters).map_err(|e| format!("cannot list {}: {e}", adapters.display()))?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", adapters.display()))?;
        let path = entry.path().join("adapter.json");
        if !path.is_file() {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut manifest: Manifest = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        manifest.folder = entry.file_name().to_string_lossy().into_owned();
        if manifest.rows.is_empty() {
            return Err(format!("{}: no rows", path.display()));
        }
        found.push(manifest);
    }
    found.sort_by(|a, b| a.folder.cmp(&b.folder));
    let mut names: Vec<&str> = found.iter().flat_map(|m| m.rows.iter().map(|r| r.name.as_str())).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("row {:?} is declared by two adapter.json files", pair[0]));
    }
    Ok(found)
}
