//! The loopback server of `capture`: one handler behind the wire crate's hardened server (on
//! the run's port and, where it is free, the scheme's default port), routing each request by
//! its path `/<client>/<case>/…` to the client's session, checking it ([`super::analyse`]),
//! keeping its record and answering a small JSON verdict the client's own logs will show.
//! Requests on any other path are checked too, as arrivals of the `free` session.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use oauth1_wire::server::{ReceivedRequest, Response};
use serde_json::json;

use super::analyse::{analyse, Analysis, ClientState, Origin, RequestContext};
use super::cases::{CaptureCase, PortChoice};
use super::header_syntax::HeaderSyntax;
use super::redact::{visible, Redactor};
use crate::live::credentials::Credentials;
use crate::report::capture::{
    CaptureRecord, CaptureVerdict, Check, Diagnosis, IntendedRequest, Rewrite, WireRequest, BODY_SHOWN,
};

/// What every request is checked with.
pub(crate) struct Setup {
    pub(crate) credentials: Credentials,
    pub(crate) rsa_private_key_pem: Option<String>,
    pub(crate) header_syntax: Box<dyn HeaderSyntax>,
    /// Accepted timestamp skew either way, seconds.
    pub(crate) window: u64,
    pub(crate) redactor: Redactor,
    pub(crate) tls: bool,
}

/// Where the cases are served: `http://127.0.0.1:PORT`, and the default port's base if bound.
#[derive(Debug, Clone)]
pub(crate) struct Bases {
    pub(crate) main: String,
    pub(crate) default: Option<String>,
}

struct Session {
    client: ClientState,
    records: Vec<CaptureRecord>,
    /// The first request of each redirect case.
    origins: HashMap<String, Origin>,
}

struct Slot {
    name: String,
    session: Mutex<Session>,
}

/// Which request of a case: the first, or the one re-sent after its redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leg {
    First,
    Moved,
}

/// Records kept per session; a flood beyond is checked and answered but not kept.
const MAX_RECORDS: usize = 10_000;

/// The name of the session of requests no client path names.
pub(crate) const FREE: &str = "free";

/// The capture server's state, shared by its listeners' handlers.
pub(crate) struct CaptureServer {
    setup: Setup,
    cases: Vec<CaptureCase>,
    slots: Vec<Slot>,
    bases: Bases,
    arrivals: AtomicU64,
    /// In free mode: each record, as it is made (printed by the command).
    events: Option<Mutex<Sender<CaptureRecord>>>,
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl CaptureServer {
    pub(crate) fn new(
        setup: Setup,
        cases: Vec<CaptureCase>,
        clients: &[String],
        bases: Bases,
        events: Option<Sender<CaptureRecord>>,
    ) -> Self {
        let slot = |name: &str| Slot {
            name: name.to_owned(),
            session: Mutex::new(Session {
                client: ClientState::new(setup.window),
                records: Vec::new(),
                origins: HashMap::new(),
            }),
        };
        let mut slots: Vec<Slot> = clients.iter().map(|name| slot(name)).collect();
        slots.push(slot(FREE));
        Self { setup, cases, slots, bases, arrivals: AtomicU64::new(0), events: events.map(Mutex::new) }
    }

    pub(crate) fn setup(&self) -> &Setup {
        &self.setup
    }

    /// `scheme://127.0.0.1[:port]/<client>/<case>`, or `None` when the case's port is not
    /// served.
    pub(crate) fn case_base(&self, client: &str, case: &CaptureCase) -> Option<String> {
        let base = match case.port {
            PortChoice::Main => Some(&self.bases.main),
            PortChoice::Default => self.bases.default.as_ref(),
        }?;
        Some(format!("{base}/{client}/{}", case.id))
    }

    /// What `client` is asked to send for `leg` of `case`.
    pub(crate) fn intended(&self, client: &str, case: &CaptureCase, leg: Leg) -> Option<IntendedRequest> {
        let base = self.case_base(client, case)?;
        let url = match leg {
            Leg::First => case.url(&base),
            Leg::Moved => CaptureCase { path: "/moved".to_owned(), ..case.clone() }.url(&base),
        };
        Some(IntendedRequest {
            method: case.method.clone(),
            url,
            content_type: case.content_type.clone(),
            body: case.body.clone(),
            signature_method: case.signature_method.clone(),
            token: case.token,
            realm: case.realm.clone(),
        })
    }

    /// The session, case and leg the request's path names.
    fn route(&self, target: &[u8]) -> Option<(usize, &CaptureCase, Leg)> {
        let path = target.split(|&b| b == b'?').next()?;
        let path = std::str::from_utf8(path).ok()?.strip_prefix('/')?;
        let mut parts = path.splitn(3, '/');
        let (client, case, rest) = (parts.next()?, parts.next()?, parts.next());
        let slot = self.slots.iter().position(|s| s.name == client && s.name != FREE)?;
        let case = self.cases.iter().find(|c| c.id == case)?;
        let leg = if case.redirect && rest == Some("moved") { Leg::Moved } else { Leg::First };
        Some((slot, case, leg))
    }

    /// Takes the records the session `client` has kept so far.
    pub(crate) fn take_records(&self, client: &str) -> Vec<CaptureRecord> {
        self.slots
            .iter()
            .find(|s| s.name == client)
            .map(|slot| std::mem::take(&mut slot.session.lock().unwrap_or_else(PoisonError::into_inner).records))
            .unwrap_or_default()
    }

    /// Answers one request.
    pub(crate) fn handle(&self, request: &ReceivedRequest) -> Response {
        let arrival = self.arrivals.fetch_add(1, Ordering::Relaxed).saturating_add(1);
        let route = self.route(&request.target);
        let index = route.map_or(self.slots.len() - 1, |(slot, _, _)| slot);
        let Some(slot) = self.slots.get(index) else { return Response::new(500) };
        let (case, leg) = route.map_or((None, Leg::First), |(_, case, leg)| (Some(case), leg));
        let intended = case.and_then(|c| self.intended(&slot.name, c, leg));
        let mut session = slot.session.lock().unwrap_or_else(PoisonError::into_inner);
        let origin = case.filter(|_| leg == Leg::Moved).and_then(|c| session.origins.get(&c.id).cloned());
        let context = RequestContext {
            credentials: &self.setup.credentials,
            rsa_private_key_pem: self.setup.rsa_private_key_pem.as_deref(),
            header_syntax: self.setup.header_syntax.as_ref(),
            window: self.setup.window,
            now: now(),
            arrival,
            intended: intended.as_ref(),
            redirected_from: origin.as_ref(),
        };
        let analysis = analyse(request, &context, &mut session.client);
        if let (Some(case), Leg::First, Some(url)) = (case.filter(|c| c.redirect), leg, analysis.url.clone()) {
            session.origins.insert(case.id.clone(), Origin { url, authorization: analysis.authorization.clone() });
        }
        let record = self.record(request, arrival, case, intended, analysis);
        let response = match (case.filter(|c| c.redirect), leg) {
            (Some(case), Leg::First) => {
                let location = self.intended(&slot.name, case, Leg::Moved).map(|i| i.url).unwrap_or_default();
                verdict_response(&record, 307).header("Location", location)
            }
            _ => verdict_response(&record, status_of(&record)),
        };
        if let Some(events) = &self.events {
            let _ = events.lock().unwrap_or_else(PoisonError::into_inner).send(record.clone());
        }
        if session.records.len() < MAX_RECORDS {
            session.records.push(record);
        }
        response
    }

    fn record(
        &self,
        request: &ReceivedRequest,
        arrival: u64,
        case: Option<&CaptureCase>,
        intended: Option<IntendedRequest>,
        analysis: Analysis,
    ) -> CaptureRecord {
        let redactor = &self.setup.redactor;
        let mut checks = analysis.checks;
        for check in &mut checks {
            check.message = redactor.scrub(&check.message);
        }
        let verdict = if checks.is_empty() { CaptureVerdict::Ok } else { CaptureVerdict::Fail };
        CaptureRecord {
            case: case.map(|c| c.id.clone()),
            family: case.map(|c| c.family),
            verdict,
            checks,
            diagnosis: analysis.diagnosis.map(|d| scrub_diagnosis(d, redactor)),
            notes: analysis.notes.iter().map(|n| redactor.scrub(n)).collect(),
            intended,
            received: Some(wire_request(request, arrival, redactor)),
            signature_base_string: analysis.signature_base_string.map(|s| redactor.scrub(&s)),
            message: None,
            not_run: false,
            replay: String::new(),
        }
    }
}

fn scrub_diagnosis(diagnosis: Diagnosis, redactor: &Redactor) -> Diagnosis {
    let scrub = |r: Rewrite| Rewrite { signed: redactor.scrub(&r.signed), sent: redactor.scrub(&r.sent), ..r };
    match diagnosis {
        Diagnosis::SignedNotSent { rewrite, quirk } => Diagnosis::SignedNotSent { rewrite: scrub(rewrite), quirk },
        Diagnosis::Wire { quirk, rewrite } => Diagnosis::Wire { quirk, rewrite: rewrite.map(scrub) },
        other @ Diagnosis::SignedDifferently { .. } => other,
    }
}

/// The request for the report: as received, scrubbed, the body cut.
fn wire_request(request: &ReceivedRequest, arrival: u64, redactor: &Redactor) -> WireRequest {
    let shown = request.body.get(..BODY_SHOWN).unwrap_or(&request.body);
    WireRequest {
        arrival,
        port: request.local.port(),
        tls: request.tls.is_some(),
        method: request.method.clone(),
        target: redactor.scrub(&visible(&request.target)),
        headers: request.headers.iter().map(|f| (f.name.clone(), redactor.scrub(&visible(&f.value)))).collect(),
        body: redactor.scrub(&visible(shown)),
        body_bytes: request.body.len(),
    }
}

/// 200 for a request with no failed check; 401 for what a server refuses as unauthorized
/// (RFC 5849 §3.2); 400 for what is malformed or not what was asked.
fn status_of(record: &CaptureRecord) -> u16 {
    if record.checks.is_empty() {
        return 200;
    }
    let unauthorized = record.check_names().any(|c| {
        matches!(
            c,
            Check::Signature
                | Check::NonceReused
                | Check::TimestampSkew
                | Check::TimestampUnit
                | Check::Credentials
                | Check::BodyHash
                | Check::RedirectNotResigned
        )
    });
    if unauthorized {
        401
    } else {
        400
    }
}

/// The small JSON verdict the client receives.
fn verdict_response(record: &CaptureRecord, status: u16) -> Response {
    let body = json!({
        "verdict": record.verdict,
        "case": record.case,
        "checks": record.checks,
        "diagnosis": record.diagnosis.as_ref().map(Diagnosis::describe),
        "notes": record.notes,
        "signature_base_string": record.signature_base_string,
    });
    let response = Response::json(status, body.to_string());
    if status == 401 {
        response.header("WWW-Authenticate", "OAuth realm=\"oauth1-conformance capture\"")
    } else {
        response
    }
}
