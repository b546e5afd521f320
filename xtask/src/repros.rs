//! `cargo xtask repros`: runs every standalone reproduction of `docs/findings/repro/repros.json`
//! and checks that each still shows the behaviour its dossier documents.
//!
//! A reproduction uses only its library and exits 0 while the library behaves as documented, 3
//! when the library now agrees with RFC 5849 (the dossier is to be retired), 4 when it gives a
//! third value (the dossier is to be re-examined). Anything else, a signal or a timeout is a
//! broken reproduction, named by its path.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::setup::workspace_root;

/// The manifest, from the repository root.
const MANIFEST: &str = "docs/findings/repro/repros.json";
/// The longest one reproduction may run (a JVM or an interpreter start, one library call).
const RUN_DEADLINE: Duration = Duration::from_secs(30);
/// The longest a build step may run (compiled reproductions, built once per run).
const BUILD_DEADLINE: Duration = Duration::from_secs(300);
/// The issue's budget for running them all (builds excluded).
const BUDGET: Duration = Duration::from_secs(90);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Repro {
    path: String,
    #[serde(default)]
    build: Option<String>,
    run: String,
}

// Its `about` field is for people.
#[derive(Debug, Deserialize)]
struct Manifest {
    repros: BTreeMap<String, Repro>,
}

/// How one reproduction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Exit 0: the documented behaviour is still there.
    Shown,
    /// Exit 3: the library agrees with RFC 5849 now.
    Fixed,
    /// Exit 4: the library gives a value the dossier does not document.
    Changed,
    /// Anything else: another exit status, a signal, a timeout, a failure to start.
    Broken(String),
}

pub(crate) fn classify(status: Option<i32>) -> Outcome {
    match status {
        Some(0) => Outcome::Shown,
        Some(3) => Outcome::Fixed,
        Some(4) => Outcome::Changed,
        Some(code) => Outcome::Broken(format!("exit status {code}")),
        None => Outcome::Broken("killed by a signal".to_owned()),
    }
}

/// Runs `command` through `sh -c` in `root`, in its own process group, killed (the whole group)
/// after `deadline`. Returns the exit status (`None`: a signal) and what it printed.
fn run_shell(root: &Path, command: &str, deadline: Duration) -> Result<(Option<i32>, String), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start sh: {e}"))?;
    let readers: Vec<_> = [child.stdout.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>)]
        .into_iter()
        .chain([child.stderr.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>)])
        .flatten()
        .map(|mut stream| {
            thread::spawn(move || {
                let mut text = String::new();
                let _ = stream.read_to_string(&mut text);
                text
            })
        })
        .collect();
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status.code()),
            Ok(None) if started.elapsed() > deadline => {
                // The group: an interpreter's own children go with it.
                let _ = Command::new("kill").args(["-s", "KILL", "--", &format!("-{}", child.id())]).status();
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("timed out after {} s", deadline.as_secs()));
            }
            Ok(None) => thread::sleep(Duration::from_millis(10)),
            Err(e) => break Err(format!("wait: {e}")),
        }
    };
    let output: String = readers.into_iter().filter_map(|r| r.join().ok()).collect();
    status.map(|code| (code, output))
}

/// The command line of a reproduction, as `repros.json` writes it.
fn command_line(run: &str) -> String {
    run.replace("{python}", ".venv/bin/python")
}

/// One reproduction's result.
#[derive(Debug)]
pub(crate) struct Ran {
    pub(crate) dossier: String,
    pub(crate) path: String,
    pub(crate) outcome: Outcome,
    pub(crate) output: String,
    pub(crate) seconds: f64,
}

/// Runs every reproduction of `repros` from `root` on `jobs` threads, in dossier order.
pub(crate) fn run_all(root: &Path, repros: &BTreeMap<String, Repro>, jobs: usize) -> Vec<Ran> {
    let queue = Mutex::new(repros.iter().collect::<Vec<_>>().into_iter());
    let results = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                let Some((dossier, repro)) = next else { break };
                let started = Instant::now();
                let (outcome, output) = match run_shell(root, &command_line(&repro.run), RUN_DEADLINE) {
                    Ok((status, output)) => (classify(status), output),
                    Err(why) => (Outcome::Broken(why), String::new()),
                };
                let ran = Ran {
                    dossier: dossier.clone(),
                    path: repro.path.clone(),
                    outcome,
                    output,
                    seconds: started.elapsed().as_secs_f64(),
                };
                if let Ok(mut results) = results.lock() {
                    results.push(ran);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| a.dossier.cmp(&b.dossier));
    results
}

fn load(root: &Path) -> Result<BTreeMap<String, Repro>, String> {
    let path = root.join(MANIFEST);
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(manifest.repros)
}

fn build(root: &Path, repros: &BTreeMap<String, Repro>) -> Result<(), String> {
    let mut builds: Vec<&str> = repros.values().filter_map(|r| r.build.as_deref()).collect();
    builds.sort_unstable();
    builds.dedup();
    for command in builds {
        let started = Instant::now();
        match run_shell(root, command, BUILD_DEADLINE) {
            Ok((Some(0), _)) => println!("built: {command} ({:.1} s)", started.elapsed().as_secs_f64()),
            Ok((status, output)) => {
                return Err(format!(
                    "`{command}` failed ({}):\n{output}\n(cargo xtask setup --all installs what it needs)",
                    status.map_or_else(|| "a signal".to_owned(), |c| format!("exit status {c}"))
                ))
            }
            Err(why) => return Err(format!("`{command}`: {why}")),
        }
    }
    Ok(())
}

/// Prints what went wrong with each reproduction that did not show its behaviour; returns
/// (behaviour changed, broken).
fn report(results: &[Ran]) -> (usize, usize) {
    let (mut changed, mut broken) = (0, 0);
    for ran in results {
        let dossier = format!("docs/findings/{}.md", ran.dossier);
        match &ran.outcome {
            Outcome::Shown => {}
            Outcome::Fixed => {
                changed += 1;
                println!("FIXED: {dossier}: the library now agrees with RFC 5849; retire the dossier ({})", ran.path);
            }
            Outcome::Changed => {
                changed += 1;
                println!("CHANGED: {dossier}: the library gives a value the dossier does not document; re-examine it");
            }
            Outcome::Broken(why) => {
                broken += 1;
                println!("BROKEN: {} ({dossier}): {why}", ran.path);
            }
        }
        if ran.outcome != Outcome::Shown {
            for line in ran.output.lines().take(12) {
                println!("    {line}");
            }
        }
    }
    (changed, broken)
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    if !args.is_empty() {
        eprintln!("usage: cargo xtask repros");
        return ExitCode::from(2);
    }
    let root = workspace_root();
    let repros = match load(&root).and_then(|repros| build(&root, &repros).map(|()| repros)) {
        Ok(repros) => repros,
        Err(message) => {
            eprintln!("xtask repros: {message}");
            return ExitCode::from(2);
        }
    };
    let jobs = thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let started = Instant::now();
    let results = run_all(&root, &repros, jobs);
    let elapsed = started.elapsed();
    let (changed, broken) = report(&results);
    let shown = results.len() - changed - broken;
    if let Some(slowest) = results.iter().max_by(|a, b| a.seconds.total_cmp(&b.seconds)) {
        println!("slowest: {} ({:.2} s)", slowest.path, slowest.seconds);
    }
    println!(
        "{} reproductions in {:.1} s ({jobs} at a time): {shown} still show their finding, {changed} changed, {broken} broken",
        results.len(),
        elapsed.as_secs_f64()
    );
    if elapsed > BUDGET {
        println!("over the {} s budget: run fewer or faster reproductions", BUDGET.as_secs());
        return ExitCode::from(1);
    }
    match (changed, broken) {
        (0, 0) => ExitCode::SUCCESS,
        (_, 0) => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repro(run: &str) -> Repro {
        Repro { path: "stub.sh".into(), build: None, run: run.into() }
    }

    /// A reproduction whose library is stubbed to be correct: it computes RFC 5849's value, so by
    /// the reproductions' contract it exits 3, and the run names the dossier to retire.
    #[test]
    fn a_reproduction_of_a_fixed_library_is_detected_as_stale() {
        let dir = std::env::temp_dir().join(format!("xtask-repros-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        // The stub library computes the right value; the reproduction's check is the real one.
        fs::write(
            dir.join("stub.sh"),
            "library_value() { printf 'GET&http%%3A%%2F%%2Fexample.com%%2F&'; }\n\
             rfc='GET&http%3A%2F%2Fexample.com%2F&'\n\
             documented='GET&http%3A%2F%2FEXAMPLE.com%2F&'\n\
             value=$(library_value)\n\
             echo \"library:  $value\"; echo \"RFC 5849: $rfc\"\n\
             [ \"$value\" = \"$rfc\" ] && exit 3\n\
             [ \"$value\" = \"$documented\" ] || exit 4\n",
        )
        .unwrap();
        let repros = BTreeMap::from([
            ("row/keeps-host-case".to_owned(), repro("sh stub.sh")),
            ("row/still-wrong".to_owned(), repro("exit 0")),
            ("row/crashes".to_owned(), repro("kill -SEGV $$")),
        ]);
        let results = run_all(&dir, &repros, 2);
        fs::remove_dir_all(&dir).unwrap();
        let outcome = |dossier: &str| results.iter().find(|r| r.dossier == dossier).unwrap();
        assert_eq!(outcome("row/keeps-host-case").outcome, Outcome::Fixed);
        assert!(outcome("row/keeps-host-case").output.contains("RFC 5849: GET&http%3A%2F%2Fexample.com%2F&"));
        assert_eq!(outcome("row/still-wrong").outcome, Outcome::Shown);
        assert!(matches!(outcome("row/crashes").outcome, Outcome::Broken(_)));
        assert_eq!(report(&results), (1, 1));
    }

    /// The committed oauthlib reproduction, run against a stub oauthlib whose
    /// `signature_base_string` returns what the test says: RFC 5849's value from the
    /// reproduction's own table (a fixed library) is reported as stale, the documented value as
    /// still shown. Needs `python3` (any: the stub stands in for oauthlib).
    #[test]
    fn the_oauthlib_reproduction_against_a_fixed_stub_library_is_stale() {
        let root = workspace_root();
        let program = root.join("docs/findings/repro/python/oauthlib_signature.py");
        let text = fs::read_to_string(&program).unwrap();
        let table = text.split(r#"json.loads(r""""#).nth(1).and_then(|t| t.split(r#"""")"#).next()).unwrap();
        let entries: Vec<serde_json::Value> = serde_json::from_str(table).unwrap();
        let entry = &entries[0];
        let (finding, rfc, documented) =
            (entry["finding"].as_str().unwrap(), entry["rfc"].as_str().unwrap(), entry["documented"].as_str().unwrap());
        assert!(Command::new("python3").arg("--version").output().is_ok(), "this test needs python3 on PATH");
        let outcome = |value: &str| {
            let stub = std::env::temp_dir().join(format!("xtask-oauthlib-stub-{}-{}", std::process::id(), value.len()));
            let package = stub.join("oauthlib/oauth1/rfc5849");
            fs::create_dir_all(package.join("endpoints")).unwrap();
            for init in ["oauthlib", "oauthlib/oauth1", "oauthlib/oauth1/rfc5849", "oauthlib/oauth1/rfc5849/endpoints"]
            {
                fs::write(stub.join(init).join("__init__.py"), "").unwrap();
            }
            // The program takes the body as oauthlib's endpoints do; the stub keeps it as given.
            fs::write(
                package.join("endpoints/base.py"),
                "class BaseEndpoint:\n    def __init__(self, validator):\n        pass\n\n    \
                 def _create_request(self, uri, method, body, headers):\n        \
                 return type('Request', (), {'body': body})()\n",
            )
            .unwrap();
            fs::write(
                package.join("parameters.py"),
                "def prepare_headers(params, headers, realm=None):\n    return {}\n",
            )
            .unwrap();
            fs::write(
                package.join("signature.py"),
                format!(
                    "def collect_parameters(**kwargs):\n    return []\n\
                     def normalize_parameters(params):\n    return ''\n\
                     def base_string_uri(uri):\n    return ''\n\
                     def signature_base_string(method, uri, normalized):\n    return {value:?}\n"
                ),
            )
            .unwrap();
            let command = format!("PYTHONPATH={} python3 {} {finding}", stub.display(), program.display());
            let repros = BTreeMap::from([(format!("oauthlib-signature/{finding}"), repro(&command))]);
            let ran = run_all(&root, &repros, 1);
            fs::remove_dir_all(&stub).unwrap();
            ran.into_iter().next().unwrap().outcome
        };
        assert_eq!(outcome(rfc), Outcome::Fixed);
        assert_eq!(outcome(documented), Outcome::Shown);
    }

    #[test]
    fn a_hanging_reproduction_is_killed_and_named() {
        let started = Instant::now();
        let result = run_shell(Path::new("."), "sleep 30", Duration::from_millis(200));
        assert!(result.unwrap_err().contains("timed out"));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn exit_statuses_follow_the_contract() {
        assert_eq!(classify(Some(0)), Outcome::Shown);
        assert_eq!(classify(Some(3)), Outcome::Fixed);
        assert_eq!(classify(Some(4)), Outcome::Changed);
        assert!(matches!(classify(Some(1)), Outcome::Broken(_)));
        assert!(matches!(classify(None), Outcome::Broken(_)));
    }
}
