//! `cargo xtask servers [--json]`: the live servers of `adapters/*/adapter.json` (real HTTP
//! servers that provider-side frameworks protect, for `oauth1-conformance probe`), whether each is
//! set up, and the command that starts it; and the TLS-terminating proxy they are probed behind.
//! `--json` is what `adapters/servers-smoke/smoke.py` reads.

use std::process::ExitCode;

use serde_json::{json, Value};

use crate::matrix::{manifests, Manifest, ServerManifest};
use crate::setup;

/// The credentials file every server is given unless its manifest names its own (RFC 5849's
/// example credentials), relative to the root.
const SHARED_CREDENTIALS: &str = "adapters/servers-smoke/credentials.json";

fn server_json(manifest: &Manifest, server: &ServerManifest, ready: bool, root: &std::path::Path) -> Value {
    json!({
        "name": server.name,
        "folder": manifest.folder,
        "ready": ready,
        "install": manifest.install_hint(),
        "command": Manifest::fill(&server.command, root),
        "credentials": server.credentials.as_deref().unwrap_or(SHARED_CREDENTIALS),
        "https_only": server.https_only,
        "flow": server.flow,
        "two_legged": server.two_legged,
        "notes": server.notes,
    })
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// `ready`, or the command that sets the folder up.
fn state(entry: &Value) -> String {
    if entry["ready"] == true {
        "ready".to_owned()
    } else {
        format!("not set up: run `{}`", text(&entry["install"]))
    }
}

fn describe(server: &Value) -> String {
    let flags: String = [("https_only", "https only"), ("flow", "/initiate and /token"), ("two_legged", "two-legged")]
        .iter()
        .filter(|(key, _)| server[key] == true)
        .map(|(_, label)| format!("; {label}"))
        .collect();
    format!(
        "{}  (adapters/{}, {}{flags})\n    {}\n    credentials: {}\n    {}\n",
        text(&server["name"]),
        text(&server["folder"]),
        state(server),
        text(&server["command"]),
        text(&server["credentials"]),
        text(&server["notes"]),
    )
}

/// Lists the live servers; `args` is empty or `--json`.
pub(crate) fn run(args: &[String]) -> ExitCode {
    let as_json = match args {
        [] => false,
        [flag] if flag == "--json" => true,
        _ => {
            eprintln!("usage: cargo xtask servers [--json]");
            return ExitCode::from(2);
        }
    };
    let root = setup::workspace_root();
    let manifests = match manifests(&root) {
        Ok(manifests) => manifests,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::from(2);
        }
    };
    let mut servers = Vec::new();
    let mut proxy = Value::Null;
    for manifest in &manifests {
        let ready = setup::is_ready(manifest, &root);
        servers.extend(manifest.servers.iter().map(|server| server_json(manifest, server, ready, &root)));
        if let Some(tls) = &manifest.tls_proxy {
            proxy = json!({
                "name": tls.name,
                "folder": manifest.folder,
                "ready": ready,
                "install": manifest.install_hint(),
                "command": Manifest::fill(&tls.command, &root),
                "notes": tls.notes,
            });
        }
    }
    if as_json {
        println!("{}", json!({"servers": servers, "tls_proxy": proxy}));
        return ExitCode::SUCCESS;
    }
    println!("live servers (each started with --port PORT --credentials FILE on 127.0.0.1):\n");
    for server in &servers {
        println!("{}", describe(server));
    }
    if proxy.is_null() {
        println!("no TLS proxy is declared");
    } else {
        println!(
            "TLS proxy: {}  (adapters/{}, {})\n    {}\n    {}\n",
            text(&proxy["name"]),
            text(&proxy["folder"]),
            state(&proxy),
            text(&proxy["command"]),
            text(&proxy["notes"])
        );
    }
    println!("smoke test of each: .venv/bin/python adapters/servers-smoke/smoke.py");
    ExitCode::SUCCESS
}
