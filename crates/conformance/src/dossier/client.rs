//! Live-client findings: what `oauth1-conformance capture` recorded in a client's baseline
//! (`adapters/baselines/clients/NAME.json`), one dossier per case of its `findings`
//! (`clients/CLIENT/CASE`), with the failed checks and the diagnosis.
//!
//! Where the diagnosis is a set of catalogued quirks the pipeline can switch on, the dossier
//! shows the stages it changes on the capture case's request, computed now by the reference and
//! the quirk pipeline with the capture's fixed test credentials and a stated nonce, timestamp and
//! port (the client chose its own on the wire, so the values differ from the run's; the stages
//! that differ do not).

use std::fs;
use std::path::{Path, PathBuf};

use oauth1_vectors::{OAuthParams, SignRequest, SignSecrets};

use super::pick::{stage_rows, StageRow};
use super::{Error, Sources};
use crate::implementation::{InProcess, Outcome, SignInput};
use crate::live::capture::baseline::{ClientBaseline, Finding as BaselineFinding};
use crate::live::capture::cases::{default_cases, CaptureCase, PortChoice};
use crate::live::capture::test_credentials;
use crate::quirks::{sign_with_quirks, Quirk, QuirkKind, QuirkSet};
use crate::reference_impl::Reference;

/// The `oauth_timestamp` the dossiers sign with: RFC 5849 §1.2's protected-resource request's.
pub const STATED_TIMESTAMP: &str = "137131202";
/// The `oauth_nonce` the dossiers sign with: RFC 5849 §1.2's protected-resource request's.
pub const STATED_NONCE: &str = "chapoH";
/// The port that stands for the one a capture run listens on (it picks a free one each run).
pub const STATED_PORT: u16 = 40000;

/// What a client's finding is diagnosed as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnosis {
    /// The client signed differently: the catalogued quirks whose pipeline reproduces the
    /// signature it sent.
    SignedDifferently(Vec<Quirk>),
    /// The client sent something other than it signed: the wire quirk its HTTP layer shows.
    SignedNotSent(Quirk),
    /// A wire behaviour the request shows by itself (a redirect followed with the old
    /// signature, a repeated nonce, a timestamp in milliseconds).
    Wire(Quirk),
}

/// An id in a diagnosis key that the catalogue does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not a catalogued quirk")]
pub struct UnknownQuirkId(pub String);

impl Diagnosis {
    /// The diagnosis of a baseline key (`a+b`, `signed-not-sent:ID`, a wire quirk's id alone).
    ///
    /// # Errors
    ///
    /// An id of the key that the catalogue does not have.
    pub fn parse(key: &str) -> Result<Self, UnknownQuirkId> {
        let known = |id: &str| Quirk::from_id(id).ok_or_else(|| UnknownQuirkId(id.to_owned()));
        match key.strip_prefix("signed-not-sent:") {
            Some(id) => Ok(Self::SignedNotSent(known(id)?)),
            None => {
                let quirks: Vec<Quirk> = key.split('+').map(known).collect::<Result<_, _>>()?;
                match quirks.as_slice() {
                    [quirk] if quirk.kind() == QuirkKind::Wire => Ok(Self::Wire(*quirk)),
                    _ => Ok(Self::SignedDifferently(quirks)),
                }
            }
        }
    }
}

/// One live-client finding, and everything its dossier says.
#[derive(Debug, Clone)]
pub struct ClientFinding {
    /// The client (the baseline file's stem).
    pub client: String,
    /// The capture case.
    pub case: CaptureCase,
    /// What the baseline records: the failed checks and the diagnoses' keys.
    pub recorded: BaselineFinding,
    /// The diagnoses, parsed.
    pub diagnoses: Vec<Diagnosis>,
    /// For each diagnosis that signs differently with quirks the pipeline can switch on: its
    /// quirks and the stages they change on the case's request (empty: they change none here).
    pub stages: Vec<(Vec<Quirk>, Vec<StageRow>)>,
}

impl ClientFinding {
    /// The dossier's id: `clients/CLIENT/CASE`.
    #[must_use]
    pub fn id(&self) -> String {
        format!("clients/{}/{}", self.client, self.case.id)
    }

    /// Where the dossier is written under the findings directory.
    #[must_use]
    pub fn relative_path(&self) -> PathBuf {
        Path::new("clients").join(&self.client).join(format!("{}.md", self.case.id))
    }

    /// The baseline file, as the repository names it.
    #[must_use]
    pub fn baseline_path(&self) -> String {
        format!("adapters/baselines/clients/{}.json", self.client)
    }
}

/// The capture case's request as a signer takes it: the URL the client was given (with
/// [`STATED_PORT`]), the capture's test credentials, [`STATED_TIMESTAMP`] and [`STATED_NONCE`].
#[must_use]
pub fn sign_input(client: &str, case: &CaptureCase) -> (SignRequest, OAuthParams, SignSecrets) {
    let authority = match case.port {
        PortChoice::Main => format!("127.0.0.1:{STATED_PORT}"),
        PortChoice::Default => "127.0.0.1".to_owned(),
    };
    let request = SignRequest {
        method: case.method.clone(),
        url: uri_safe(&case.url(&format!("http://{authority}/{client}/{}", case.id))),
        content_type: case.content_type.clone(),
        body: case.body.clone(),
    };
    let oauth = OAuthParams {
        consumer_key: test_credentials::CONSUMER_KEY.to_owned(),
        token: case.token.then(|| test_credentials::TOKEN.to_owned()),
        signature_method: case.signature_method.clone(),
        timestamp: Some(STATED_TIMESTAMP.to_owned()),
        nonce: Some(STATED_NONCE.to_owned()),
        version: Some("1.0".to_owned()),
        realm: case.realm.clone(),
        extra: Vec::new(),
        compute_body_hash: false,
    };
    // The capture's fixed test set (RFC 5849 §1.2's and the generator's key), never a user's.
    let secrets = SignSecrets {
        consumer_secret: Some(test_credentials::CONSUMER_SECRET.to_owned()),
        token_secret: case.token.then(|| test_credentials::TOKEN_SECRET.to_owned()),
        rsa_private_key_pem: case
            .signature_method
            .starts_with("RSA-")
            .then(|| test_credentials::RSA_PRIVATE_KEY.to_owned()),
    };
    (request, oauth, secrets)
}

/// `url` with every octet RFC 3986 does not allow in a path or query percent-encoded (`[`, `]`,
/// raw UTF-8): the reference signs URIs only, and §3.4.1.3.1 decodes the query before it signs
/// it, so the parameters are the same.
#[must_use]
pub fn uri_safe(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let path_start = url[after_scheme..].find('/').map_or(url.len(), |at| after_scheme + at);
    let mut out = url[..path_start].to_owned();
    for byte in url[path_start..].bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:/?@!$&'()*+,;=%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The stages `quirks` change on the case's request, or `None` when the reference or the
/// pipeline cannot sign it.
fn stages(client: &str, case: &CaptureCase, quirks: &[Quirk]) -> Option<Vec<StageRow>> {
    let (request, oauth, secrets) = sign_input(client, case);
    let input = SignInput { request: &request, oauth: &oauth, secrets: &secrets };
    let Outcome::Answer(expected) = Reference::default().sign(&input) else { return None };
    let actual = sign_with_quirks(&input, &QuirkSet::of(quirks)).ok()?;
    Some(stage_rows(&expected, &actual, |_| None))
}

/// The findings of `baseline` (read from `path`), in the capture table's order.
///
/// # Errors
///
/// A case the capture's table does not have, or a diagnosis naming an unknown quirk, naming the
/// file and the case.
pub fn select(path: &Path, baseline: &ClientBaseline, table: &[CaptureCase]) -> Result<Vec<ClientFinding>, Error> {
    if let Some(case) = baseline.findings.keys().find(|id| !table.iter().any(|c| &c.id == *id)) {
        return Err(Error::UnknownLiveCase {
            path: path.to_owned(),
            case: case.clone(),
            table: "the capture's default table, crates/conformance/src/live/capture/cases.rs",
        });
    }
    let mut found = Vec::new();
    for case in table {
        let Some(recorded) = baseline.findings.get(&case.id) else { continue };
        let diagnoses =
            recorded.diagnoses.iter().map(|key| Diagnosis::parse(key)).collect::<Result<Vec<_>, _>>().map_err(
                |UnknownQuirkId(id)| Error::UnknownLiveId {
                    path: path.to_owned(),
                    case: case.id.clone(),
                    what: "quirk in a diagnosis (docs/quirks.md)",
                    id,
                },
            )?;
        let stages = diagnoses
            .iter()
            .filter_map(|d| match d {
                Diagnosis::SignedDifferently(quirks) if quirks.iter().all(|q| q.is_switchable()) => {
                    Some((quirks.clone(), stages(&baseline.client, case, quirks)?))
                }
                _ => None,
            })
            .collect();
        found.push(ClientFinding {
            client: baseline.client.clone(),
            case: case.clone(),
            recorded: recorded.clone(),
            diagnoses,
            stages,
        });
    }
    Ok(found)
}

/// The clients with a baseline, sorted; each must have a `live-rows.json` entry.
///
/// # Errors
///
/// The directory cannot be read, or a client without an entry (naming its baseline).
pub fn clients(sources: &Sources) -> Result<Vec<String>, Error> {
    let dir = sources.client_baselines();
    let entries = fs::read_dir(&dir).map_err(|source| Error::Read { path: dir.clone(), source })?;
    let mut names = Vec::new();
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let Some(name) =
            path.file_stem().and_then(|s| s.to_str()).filter(|_| path.extension().is_some_and(|e| e == "json"))
        else {
            continue;
        };
        if sources.client(name).is_none() {
            return Err(Error::NoLiveInfo { path: path.clone(), name: name.to_owned() });
        }
        names.push(name.to_owned());
    }
    names.sort();
    Ok(names)
}

/// The findings of client `name`; only the one of capture case `only` when given.
///
/// # Errors
///
/// No baseline, a malformed one (an unknown check, case or quirk), or no finding `only`.
pub fn findings(sources: &Sources, name: &str, only: Option<&str>) -> Result<Vec<ClientFinding>, Error> {
    let path = sources.client_baselines().join(format!("{name}.json"));
    if !path.is_file() {
        return Err(Error::NoLiveBaseline { name: name.to_owned(), path });
    }
    let text = fs::read_to_string(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
    let baseline: ClientBaseline =
        serde_json::from_str(&text).map_err(|source| Error::Parse { path: path.clone(), source })?;
    if baseline.client != name {
        return Err(Error::LiveNameMismatch { path, named: baseline.client, expected: name.to_owned() });
    }
    let mut found = select(&path, &baseline, &default_cases())?;
    if let Some(case) = only {
        let ids = found.iter().map(|f| f.case.id.clone()).collect();
        found.retain(|f| f.case.id == case);
        if found.is_empty() {
            return Err(Error::NoLiveFinding { name: name.to_owned(), case: case.to_owned(), findings: ids });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::report::capture::Check;

    fn baseline(findings: &[(&str, &[Check], &[&str])]) -> ClientBaseline {
        ClientBaseline {
            client: "c".to_owned(),
            findings: findings
                .iter()
                .map(|(case, checks, diagnoses)| {
                    let finding = BaselineFinding {
                        checks: checks.iter().copied().collect(),
                        diagnoses: diagnoses.iter().map(|d| (*d).to_owned()).collect::<BTreeSet<_>>(),
                    };
                    ((*case).to_owned(), finding)
                })
                .collect(),
            skips: std::collections::BTreeMap::new(),
        }
    }

    const PATH: &str = "adapters/baselines/clients/c.json";

    #[test]
    fn diagnosis_keys_are_quirk_sets_or_a_rewrite() {
        assert_eq!(
            Diagnosis::parse("drops-empty-values+plus-not-decoded"),
            Ok(Diagnosis::SignedDifferently(vec![Quirk::DropsEmptyValues, Quirk::PlusNotDecoded]))
        );
        assert_eq!(
            Diagnosis::parse("signed-not-sent:resends-signature-on-redirect"),
            Ok(Diagnosis::SignedNotSent(Quirk::ResendsSignatureOnRedirect))
        );
        assert_eq!(
            Diagnosis::parse("resends-signature-on-redirect"),
            Ok(Diagnosis::Wire(Quirk::ResendsSignatureOnRedirect))
        );
        assert_eq!(Diagnosis::parse("plus-not-decoded+nope"), Err(UnknownQuirkId("nope".to_owned())));
    }

    /// One finding per case of `findings`, in the table's order; a signing quirk gets the stages
    /// it changes on the case's request, computed now: `+` kept literal in `p=a+b` is `a%2Bb`
    /// where RFC 5849 normalizes `a%20b`.
    #[test]
    fn each_case_is_a_finding_and_a_quirk_shows_its_stages() {
        let table = default_cases();
        let found = select(
            Path::new(PATH),
            &baseline(&[
                ("redirect-307", &[Check::Signature], &["signed-not-sent:resends-signature-on-redirect"]),
                ("query-plus", &[Check::Signature], &["plus-not-decoded"]),
                ("query-empty", &[Check::SentAsIntended], &[]),
            ]),
            &table,
        )
        .unwrap();
        let ids: Vec<String> = found.iter().map(ClientFinding::id).collect();
        assert_eq!(ids, ["clients/c/query-empty", "clients/c/query-plus", "clients/c/redirect-307"]);
        assert!(found[0].diagnoses.is_empty() && found[0].stages.is_empty());
        let [(quirks, rows)] = found[1].stages.as_slice() else { panic!("{:?}", found[1].stages) };
        assert_eq!(quirks, &[Quirk::PlusNotDecoded]);
        let normalized = rows.iter().find(|r| r.stage.name() == "normalized_parameters").unwrap();
        assert!(normalized.expected.ends_with("&p=a%20b"), "{}", normalized.expected);
        assert!(normalized.actual.ends_with("&p=a%2Bb"), "{}", normalized.actual);
        assert!(found[2].stages.is_empty(), "a wire quirk is not signed by the pipeline");
        assert_eq!(found[2].relative_path(), Path::new("clients/c/redirect-307.md"));
    }

    #[test]
    fn an_unknown_case_or_quirk_is_an_error_naming_the_file_and_the_case() {
        let table = default_cases();
        let error =
            select(Path::new(PATH), &baseline(&[("no-such-case", &[Check::Signature], &[])]), &table).unwrap_err();
        assert!(matches!(&error, Error::UnknownLiveCase { case, .. } if case == "no-such-case"), "{error:?}");
        assert!(error.to_string().starts_with(PATH), "{error}");
        let error =
            select(Path::new(PATH), &baseline(&[("query-plus", &[Check::Signature], &["nope"])]), &table).unwrap_err();
        assert!(error.to_string().contains("case query-plus: unknown quirk in a diagnosis"), "{error}");
    }

    /// An unknown check fails the baseline's parsing, which names the check.
    #[test]
    fn an_unknown_check_does_not_parse() {
        let text = r#"{"client": "c", "findings": {"query-plus": {"checks": ["no_such_check"]}}}"#;
        let error = serde_json::from_str::<ClientBaseline>(text).unwrap_err();
        assert!(error.to_string().contains("no_such_check"), "{error}");
    }

    /// The stated request is the capture's: its path under the client and case, the stated
    /// port (none for the default-port case), the capture's test credentials.
    #[test]
    fn the_stated_request_is_the_captures() {
        let table = default_cases();
        let case = table.iter().find(|c| c.id == "path-tilde-encoded").unwrap();
        let (request, oauth, secrets) = sign_input("c", case);
        assert_eq!(request.url, format!("http://127.0.0.1:{STATED_PORT}/c/path-tilde-encoded/%7Euser"));
        assert_eq!(oauth.nonce.as_deref(), Some(STATED_NONCE));
        assert_eq!(secrets.token_secret.as_deref(), Some(test_credentials::TOKEN_SECRET));
        let default_port = table.iter().find(|c| c.port == PortChoice::Default).unwrap();
        assert!(sign_input("c", default_port).0.url.starts_with("http://127.0.0.1/c/"));
        let brackets = table.iter().find(|c| c.id == "brackets-array").unwrap();
        assert!(sign_input("c", brackets).0.url.ends_with("/c/brackets-array?a%5B%5D=1&a%5B%5D=2"));
        assert_eq!(uri_safe("http://h:1/p/caf\u{e9}?n=caf\u{e9}&q=a+b"), "http://h:1/p/caf%C3%A9?n=caf%C3%A9&q=a+b");
        let two_legged = table.iter().find(|c| c.id == "two-legged").unwrap();
        let (_, oauth, secrets) = sign_input("c", two_legged);
        assert!(oauth.token.is_none() && secrets.token_secret.is_none());
    }
}
