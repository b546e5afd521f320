//! The implementation matrix: every `adapters/<folder>/adapter.json`, the rows, live servers and
//! live clients it declares and what installing it takes (the format is in `adapters/README.md`).

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

/// One live server: a real HTTP server on 127.0.0.1 that a provider-side framework protects, for
/// `oauth1-conformance probe`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServerManifest {
    pub(crate) name: String,
    /// Run through `sh -c` from the repository root; `{python}` and `{root}` as for rows, `{port}`
    /// the TCP port, `{credentials}` the credentials file. It prints `listening on
    /// http://127.0.0.1:PORT` once it accepts connections and stops on SIGTERM.
    pub(crate) command: String,
    pub(crate) notes: String,
    /// A credentials file (relative to the root) to give this server instead of the shared one,
    /// because its framework's default policy refuses the shared one.
    #[serde(default)]
    pub(crate) credentials: Option<String>,
    /// The server refuses every request whose URL it sees as `http://` (its framework's default):
    /// it is probed through the TLS proxy.
    #[serde(default)]
    pub(crate) https_only: bool,
    /// It serves `POST /initiate` and `POST /token` (RFC 5849 section 2).
    #[serde(default)]
    pub(crate) flow: bool,
    /// It verifies with the consumer's credentials only: it is probed without a token.
    #[serde(default)]
    pub(crate) two_legged: bool,
}

/// One live client: a real OAuth client library (with the HTTP stack its documentation pairs it
/// with) driven once per case by `oauth1-conformance capture` (`docs/capture.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientManifest {
    /// The client's name in reports and its baseline file (`baselines/clients/NAME.json`); a
    /// path segment (`[A-Za-z0-9._-]`).
    pub(crate) name: String,
    /// Run through `sh -c` from the repository root once per case; `{python}` and `{root}` as for
    /// rows.
    pub(crate) command: String,
    pub(crate) notes: String,
}

/// The TLS-terminating reverse proxy the live servers are probed behind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TlsProxyManifest {
    pub(crate) name: String,
    /// Run through `sh -c` from the repository root; `{port}` the TLS port, `{backend}` the
    /// server's `127.0.0.1:PORT`, `{cert_dir}` where it writes its certificate.
    pub(crate) command: String,
    pub(crate) notes: String,
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
    pub(crate) servers: Vec<ServerManifest>,
    #[serde(default)]
    pub(crate) tls_proxy: Option<TlsProxyManifest>,
    #[serde(default)]
    pub(crate) clients: Vec<ClientManifest>,
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
        Self::fill(&row.command, root)
    }

    /// `command` with `{python}` and `{root}` filled in (a server's other placeholders stay).
    pub(crate) fn fill(command: &str, root: &Path) -> String {
        command
            .replace("{python}", &root.join(crate::setup::VENV_PYTHON).display().to_string())
            .replace("{root}", &root.display().to_string())
    }
}

/// A live server's or the TLS proxy's command must take every value it is started with, and a
/// credentials file a server names must exist.
fn check_servers(manifest: &Manifest, root: &Path) -> Result<(), String> {
    for server in &manifest.servers {
        if let Some(missing) = ["{port}", "{credentials}"].iter().find(|p| !server.command.contains(**p)) {
            return Err(format!("server {:?}: the command has no {missing}", server.name));
        }
        if let Some(file) = &server.credentials {
            if !root.join(file).is_file() {
                return Err(format!("server {:?}: no credentials file {file}", server.name));
            }
        }
    }
    if let Some(proxy) = &manifest.tls_proxy {
        if let Some(missing) = ["{port}", "{backend}", "{cert_dir}"].iter().find(|p| !proxy.command.contains(**p)) {
            return Err(format!("tls_proxy {:?}: the command has no {missing}", proxy.name));
        }
    }
    Ok(())
}

/// A client's name is a path segment of the capture server's URLs and a baseline file name.
fn check_clients(manifest: &Manifest) -> Result<(), String> {
    for client in &manifest.clients {
        let segment = !client.name.is_empty()
            && client.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            && client.name != "free";
        if !segment {
            return Err(format!("client {:?}: the name must be [A-Za-z0-9._-] and not `free`", client.name));
        }
    }
    Ok(())
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
        if manifest.rows.is_empty()
            && manifest.servers.is_empty()
            && manifest.tls_proxy.is_none()
            && manifest.clients.is_empty()
        {
            return Err(format!("{}: no rows, servers, tls_proxy or clients", path.display()));
        }
        check_servers(&manifest, root).map_err(|e| format!("{}: {e}", path.display()))?;
        check_clients(&manifest).map_err(|e| format!("{}: {e}", path.display()))?;
        found.push(manifest);
    }
    found.sort_by(|a, b| a.folder.cmp(&b.folder));
    let mut names: Vec<&str> = found.iter().flat_map(|m| m.rows.iter().map(|r| r.name.as_str())).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("row {:?} is declared by two adapter.json files", pair[0]));
    }
    let mut servers: Vec<&str> = found.iter().flat_map(|m| m.servers.iter().map(|s| s.name.as_str())).collect();
    servers.sort_unstable();
    if let Some(pair) = servers.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("server {:?} is declared twice in adapters/*/adapter.json", pair[0]));
    }
    let mut clients: Vec<&str> = found.iter().flat_map(|m| m.clients.iter().map(|c| c.name.as_str())).collect();
    clients.sort_unstable();
    if let Some(pair) = clients.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("client {:?} is declared twice in adapters/*/adapter.json", pair[0]));
    }
    if found.iter().filter(|m| m.tls_proxy.is_some()).count() > 1 {
        return Err("more than one adapters/*/adapter.json declares a tls_proxy".to_owned());
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(json: &str) -> Manifest {
        serde_json::from_str(json).expect("a manifest")
    }

    #[test]
    fn a_server_command_must_take_the_port_and_the_credentials() {
        let root = crate::setup::workspace_root();
        let ok = manifest(
            r#"{"rows": [], "servers": [{"name": "s", "command": "x --port {port} --credentials {credentials}", "notes": ""}]}"#,
        );
        assert_eq!(check_servers(&ok, &root), Ok(()));
        let no_port = manifest(
            r#"{"rows": [], "servers": [{"name": "s", "command": "x --credentials {credentials}", "notes": ""}]}"#,
        );
        assert_eq!(check_servers(&no_port, &root), Err(r#"server "s": the command has no {port}"#.to_owned()));
        let missing_file = manifest(
            r#"{"rows": [], "servers": [{"name": "s", "command": "{port} {credentials}", "notes": "", "credentials": "adapters/none.json"}]}"#,
        );
        assert_eq!(
            check_servers(&missing_file, &root),
            Err(r#"server "s": no credentials file adapters/none.json"#.to_owned())
        );
        let proxy =
            manifest(r#"{"rows": [], "tls_proxy": {"name": "p", "command": "run {port} {backend}", "notes": ""}}"#);
        assert_eq!(check_servers(&proxy, &root), Err(r#"tls_proxy "p": the command has no {cert_dir}"#.to_owned()));
    }

    #[test]
    fn an_unknown_server_key_is_refused() {
        let error = serde_json::from_str::<Manifest>(
            r#"{"rows": [], "servers": [{"name": "s", "command": "c", "notes": "", "https": true}]}"#,
        )
        .expect_err("deny_unknown_fields");
        assert!(error.to_string().contains("unknown field `https`"), "{error}");
    }

    #[test]
    fn a_client_name_must_be_a_path_segment() {
        let ok = manifest(r#"{"rows": [], "clients": [{"name": "a-b.c_1", "command": "x", "notes": ""}]}"#);
        assert_eq!(check_clients(&ok), Ok(()));
        for name in ["a/b", "", "free", "a b"] {
            let json = format!(r#"{{"rows": [], "clients": [{{"name": "{name}", "command": "x", "notes": ""}}]}}"#);
            assert!(check_clients(&manifest(&json)).is_err(), "{name:?}");
        }
    }

    #[test]
    fn the_checked_in_manifests_load() {
        let found = manifests(&crate::setup::workspace_root()).expect("adapters/*/adapter.json");
        assert!(found.iter().any(|m| !m.servers.is_empty()), "live servers are declared");
        let clients: usize = found.iter().map(|m| m.clients.len()).sum();
        assert!(clients >= 13, "the client matrix: {clients} clients");
        assert_eq!(found.iter().filter(|m| m.tls_proxy.is_some()).count(), 1, "one TLS proxy");
    }
}
