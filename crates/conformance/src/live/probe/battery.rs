//! Running the battery: the gate, then every planned row in table order, each judged as it
//! ends; a refused valid request is diagnosed on the spot.

use std::collections::BTreeMap;
use std::time::Instant;

use oauth1_vectors::{OAuthParams, VerifyRequest};
use oauth1_wire::client::{Client, Route};
use oauth1_wire::rate::RateLimiter;

use super::cases::{CaseRow, Expected, Family, Step, TimeShift, Variant, STEPS};
use super::diagnosis::{candidates, Candidate};
use super::oracle::Observed;
use super::redact::Redactor;
use super::shape::{Shape, Stamp};
use super::verdict::{judge, Severity, Verdict};
use super::wire::{excerpt, Exchange, Failure, Wire};
use super::{Plan, ProbeConfig};
use crate::mutation::{Location, Mutation, SignedFrom};
use crate::report::probe::{ProbeCaseResult, ProbedServer};

/// A day, the distance of the stale and future timestamps.
pub(super) const A_DAY: u64 = 86_400;

/// How a row's run ended, before it is judged.
pub(super) enum Attempt {
    /// Not run, with the reason.
    Skip(String),
    /// Sent; judged on what the oracle reads. `shape`: the valid request it was, for the
    /// diagnosis of a refusal.
    Sent { exchange: Box<Exchange>, shape: Option<Box<Shape>> },
    /// Judged already (a bisection, a response body that decides).
    Decided { verdict: Verdict, severity: Severity, exchange: Option<Box<Exchange>>, note: String },
}

/// The state of one run.
pub(super) struct Battery<'c> {
    pub(super) config: &'c ProbeConfig,
    pub(super) wire: Wire,
    pub(super) redactor: Redactor,
    /// The gate's request.
    pub(super) gate: Shape,
    /// What the oracle read for each case run so far.
    pub(super) observed: BTreeMap<String, Observed>,
    /// Temporary credentials the flow got, not yet used.
    pub(super) temporary: Option<(String, String)>,
    /// The status that made the body cases skip (404 or 405 to the valid POST).
    no_post: Option<u16>,
    /// `HOST:PORT` the bytes go to, when it is not the URL's authority.
    connect_address: Option<String>,
}

/// Runs the rows of `plan` against the server; `progress` sees each result as it ends.
///
/// # Errors
/// Bad input found before the first request (a malformed URL or connect address, an
/// unreadable CA file, a rate that is not a positive number).
pub fn run(
    config: &ProbeConfig,
    plan: &Plan,
    progress: &mut dyn FnMut(&ProbeCaseResult),
) -> Result<ProbedServer, super::Error> {
    let client = Client::new(config.client.clone())?;
    for url in std::iter::once(&config.url).chain(&config.initiate_url).chain(&config.token_url) {
        Route::new(url, config.connect.as_deref())?;
    }
    let route = Route::new(&config.url, config.connect.as_deref())?;
    let limiter = match config.rate {
        None => RateLimiter::unlimited(),
        Some(rate) => RateLimiter::per_second(rate).ok_or(super::Error::Rate(rate))?,
    };
    let mut redactor = Redactor::default();
    for secret in
        [&config.secrets.consumer_secret, &config.secrets.token_secret, &config.verifier].into_iter().flatten()
    {
        redactor.add(secret);
    }
    for (_, value) in &config.headers {
        redactor.add(value);
    }
    let wire = Wire::new(
        client,
        config.connect.clone(),
        limiter,
        config.max_requests,
        config.headers.clone(),
        config.oracle.clone(),
    );
    let connect_address = config.connect.as_ref().map(|_| route.connect_address());
    let mut battery = Battery {
        config,
        wire,
        redactor,
        gate: gate_shape(config),
        observed: BTreeMap::new(),
        temporary: None,
        no_post: None,
        connect_address,
    };
    let started = Instant::now();
    let mut cases = Vec::new();
    let mut stopped = None;
    for row in &plan.rows {
        let result = battery.run_row(row);
        progress(&result);
        if row.id == "valid-gate" {
            stopped = gate_stop(&result, battery.observed.get(&row.id).copied());
        } else if battery.wire.gone() {
            stopped =
                Some(format!("the server stopped answering: {}", result.diagnosis.as_deref().unwrap_or_default()));
        }
        cases.push(result);
        if stopped.is_some() {
            break;
        }
    }
    Ok(ProbedServer {
        name: config.name.clone(),
        url: config.url.clone(),
        connect: config.connect.clone(),
        signature_methods: config.signature_methods.clone(),
        requests: battery.wire.sent(),
        seconds: started.elapsed().as_secs_f64(),
        stopped,
        summary: ProbedServer::summarize(&cases),
        cases,
    })
}

/// The request as given: header transmission, `oauth_version="1.0"`, the first method.
fn gate_shape(config: &ProbeConfig) -> Shape {
    Shape {
        request: oauth1_vectors::SignRequest {
            method: config.method.clone(),
            url: config.url.clone(),
            content_type: config.content_type.clone(),
            body: config.body.clone(),
        },
        oauth: OAuthParams {
            consumer_key: config.consumer_key.clone(),
            token: config.token.clone(),
            signature_method: config.signature_methods.first().cloned().unwrap_or_else(|| "HMAC-SHA1".into()),
            timestamp: None,
            nonce: None,
            version: Some("1.0".into()),
            realm: config.realm.clone(),
            extra: Vec::new(),
            compute_body_hash: false,
        },
        location: Location::Header,
    }
}

/// Why the battery stops after the gate, if it does.
fn gate_stop(result: &ProbeCaseResult, observed: Option<Observed>) -> Option<String> {
    let why = result.diagnosis.as_deref().unwrap_or("no diagnosis");
    match (observed, result.observed_status) {
        (Some(Observed::Accepted), _) => None,
        (Some(Observed::Refused), Some(_)) => {
            Some(format!("the gate (the request as given) was not accepted, so nothing else would mean anything: {why}"))
        }
        (Some(Observed::Neither), Some(status)) => Some(format!(
            "the gate (the request as given) got {status}, neither an accepting nor a refusing status: is the URL right? (--accept-status / --reject-status set what each status means)"
        )),
        _ => Some(format!("the gate (the request as given) got no answer: {why}")),
    }
}

/// The valid variant `row`'s control is (the gate when it has none, or its control is no
/// valid variant).
fn control_variant(row: &CaseRow) -> Variant {
    let step = row.control.as_ref().and_then(|id| STEPS.iter().find(|(s, _)| s == id)).map(|(_, step)| *step);
    match step {
        Some(Step::Valid(variant)) => variant,
        _ => Variant::Gate,
    }
}

fn is_unsafe(method: &str) -> bool {
    ["POST", "PUT", "PATCH", "DELETE"].iter().any(|m| method.eq_ignore_ascii_case(m))
}

impl Battery<'_> {
    fn run_row(&mut self, row: &CaseRow) -> ProbeCaseResult {
        let attempt = match row.step() {
            Ok(step) => self.attempt(row, step),
            Err(e) => Attempt::Skip(e.to_string()),
        };
        self.finish(row, attempt)
    }

    fn attempt(&mut self, row: &CaseRow, step: Step) -> Attempt {
        match step {
            Step::Valid(variant) => self.valid(row, variant),
            Step::Mutated(mutation) => self.mutated(row, mutation),
            Step::ReplaySame => self.replay_same(row),
            Step::ReplayNonce => self.replay_nonce(row),
            Step::Time(shift) => self.time_shift(row, shift),
            Step::Window => self.window(row),
            Step::Malformed(malformation) => self.malformed(row, malformation),
            Step::Downgrade => self.downgrade(),
            Step::Flow(step) => self.flow(row, step),
        }
    }

    /// Sends `request`, unless it is a request that should be refused sent with an unsafe
    /// method without `--allow-unsafe-methods`.
    pub(super) fn send_guarded(&mut self, row: &CaseRow, request: &VerifyRequest) -> Result<Exchange, Attempt> {
        let guarded = matches!(row.family, Family::Tampered | Family::Replay | Family::Time | Family::Malformed);
        if guarded && is_unsafe(&request.method) && !self.config.allow_unsafe_methods {
            return Err(Attempt::Skip(format!(
                "a {} request that should be refused: sent only with --allow-unsafe-methods (it may change the server's state if accepted)",
                request.method
            )));
        }
        Ok(self.wire.send(request))
    }

    /// The shape of `row`'s control (the gate's when it has none, or its control is no valid
    /// variant).
    pub(super) fn control_shape(&self, row: &CaseRow) -> Shape {
        self.gate.variant(control_variant(row))
    }

    /// Signs `shape` with a fresh stamp, or says why it cannot be.
    pub(super) fn sign_fresh(&self, shape: &Shape) -> Result<super::shape::Signed, Attempt> {
        shape
            .sign(&self.config.secrets, &Stamp::fresh())
            .map_err(|e| Attempt::Skip(format!("the reference does not sign this request: {e}")))
    }

    fn valid(&mut self, row: &CaseRow, variant: Variant) -> Attempt {
        if let Variant::Method(method) = variant {
            if !self.config.signature_methods.iter().any(|m| m.eq_ignore_ascii_case(method)) {
                return Attempt::Skip(format!("{method} is not enabled (--signature-method {method})"));
            }
            if method.starts_with("RSA-") && self.config.secrets.rsa_private_key_pem.is_none() {
                return Attempt::Skip("no RSA private key (OAUTH1_RSA_PRIVATE_KEY_FILE or the secrets file)".into());
            }
        }
        if variant.has_body() {
            if let Some(status) = self.no_post {
                return Attempt::Skip(format!("the valid POST got {status}: the server takes no POST here"));
            }
        }
        let shape = self.gate.variant(variant);
        let signed = match self.sign_fresh(&shape) {
            Ok(signed) => signed,
            Err(skip) => return skip,
        };
        let exchange = self.wire.send(&signed.request.transmit());
        if variant == Variant::FormBody && matches!(exchange.status(), Some(404 | 405)) && row.id == "valid-form-body" {
            let status = exchange.status().unwrap_or_default();
            self.no_post = Some(status);
            return Attempt::Skip(format!(
                "the valid POST got {status}: the server takes no POST here, so the body cases are skipped"
            ));
        }
        Attempt::Sent { exchange: Box::new(exchange), shape: Some(Box::new(shape)) }
    }

    fn mutated(&mut self, row: &CaseRow, mutation: Mutation) -> Attempt {
        if control_variant(row).has_body() {
            if let Some(status) = self.no_post {
                return Attempt::Skip(format!("the valid POST got {status}: the server takes no POST here"));
            }
        }
        let base = self.control_shape(row);
        let signed = match self.sign_fresh(&base) {
            Ok(signed) => signed,
            Err(skip) => return skip,
        };
        let from =
            SignedFrom { request: &base.request, oauth: &signed.oauth, secrets: &self.config.secrets, now: signed.now };
        let Some(mutated) = mutation.apply(&signed.request, &from) else {
            let plaintext = base.oauth.signature_method.eq_ignore_ascii_case("PLAINTEXT");
            return Attempt::Skip(if plaintext && !mutation.caught_by_plaintext() {
                "PLAINTEXT signs nothing of the request (RFC 5849 §3.4.4): the change cannot be caught".to_owned()
            } else {
                format!("{} does not apply to this request (no token, no query or body parameter, no body hash, or an RSA key)", mutation.id())
            });
        };
        match self.send_guarded(row, &mutated.transmit()) {
            Ok(exchange) => Attempt::Sent { exchange: Box::new(exchange), shape: None },
            Err(skip) => skip,
        }
    }

    fn replay_same(&mut self, row: &CaseRow) -> Attempt {
        if !self.gate_checks_nonces() {
            return Attempt::Skip("PLAINTEXT requests carry no nonce a server must check (RFC 5849 §3.2)".into());
        }
        let signed = match self.sign_fresh(&self.gate.clone()) {
            Ok(signed) => signed,
            Err(skip) => return skip,
        };
        let request = signed.request.transmit();
        let first = match self.send_guarded(row, &request) {
            Ok(first) => first,
            Err(skip) => return skip,
        };
        if !first.accepted() {
            return first_not_accepted(first);
        }
        Attempt::Sent { exchange: Box::new(self.wire.send(&request)), shape: None }
    }

    fn replay_nonce(&mut self, row: &CaseRow) -> Attempt {
        if !self.gate_checks_nonces() {
            return Attempt::Skip("PLAINTEXT requests carry no nonce a server must check (RFC 5849 §3.2)".into());
        }
        let stamp = Stamp::fresh();
        let gate = self.gate.clone();
        let first = match gate.sign(&self.config.secrets, &stamp) {
            Ok(signed) => signed.request.transmit(),
            Err(e) => return Attempt::Skip(format!("the reference does not sign this request: {e}")),
        };
        let first = match self.send_guarded(row, &first) {
            Ok(first) => first,
            Err(skip) => return skip,
        };
        if !first.accepted() {
            return first_not_accepted(first);
        }
        let earlier = Stamp { timestamp: Some(stamp.now.saturating_sub(1).to_string()), ..stamp };
        match gate.sign(&self.config.secrets, &earlier) {
            Ok(signed) => Attempt::Sent { exchange: Box::new(self.wire.send(&signed.request.transmit())), shape: None },
            Err(e) => Attempt::Skip(format!("the reference does not sign this request: {e}")),
        }
    }

    fn gate_checks_nonces(&self) -> bool {
        !self.gate.oauth.signature_method.eq_ignore_ascii_case("PLAINTEXT")
    }

    fn time_shift(&mut self, row: &CaseRow, shift: TimeShift) -> Attempt {
        let mut stamp = Stamp::fresh();
        stamp.timestamp = Some(match shift {
            TimeShift::Future24h => stamp.now.saturating_add(A_DAY).to_string(),
            TimeShift::Milliseconds => stamp.now.saturating_mul(1000).to_string(),
        });
        let signed = match self.gate.sign(&self.config.secrets, &stamp) {
            Ok(signed) => signed,
            Err(e) => return Attempt::Skip(format!("the reference does not sign this request: {e}")),
        };
        match self.send_guarded(row, &signed.request.transmit()) {
            Ok(exchange) => Attempt::Sent { exchange: Box::new(exchange), shape: None },
            Err(skip) => skip,
        }
    }

    fn window(&mut self, row: &CaseRow) -> Attempt {
        match self.observed.get("time-stale-24h") {
            Some(Observed::Accepted) => {
                return Attempt::Decided {
                    verdict: Verdict::Informational,
                    severity: Severity::Info,
                    exchange: None,
                    note: "it accepts a timestamp 24 h old: no window under 24 h".into(),
                }
            }
            Some(Observed::Refused) => {}
            _ => return Attempt::Skip("time-stale-24h was not refused: no window to bisect".into()),
        }
        let (mut accepted, mut refused) = (0u64, A_DAY);
        let mut last = None;
        for _ in 0..super::WINDOW_REQUESTS {
            if refused - accepted <= 1 {
                break;
            }
            // Halves the ratio, not the difference: the window is as likely 5 s as 5 min.
            let mid =
                ((accepted.max(1) as f64 * refused as f64).sqrt().round() as u64).clamp(accepted + 1, refused - 1);
            let signed =
                match self.gate.sign(&self.config.secrets, &Stamp::shifted(i64::try_from(mid).unwrap_or(i64::MAX))) {
                    Ok(signed) => signed,
                    Err(e) => return Attempt::Skip(format!("the reference does not sign this request: {e}")),
                };
            let exchange = match self.send_guarded(row, &signed.request.transmit()) {
                Ok(exchange) => exchange,
                Err(skip) => return skip,
            };
            match exchange.observed {
                Some(Observed::Accepted) => accepted = mid,
                Some(Observed::Refused) => refused = mid,
                _ => return Attempt::Sent { exchange: Box::new(exchange), shape: None },
            }
            last = Some(exchange);
        }
        Attempt::Decided {
            verdict: Verdict::Informational,
            severity: Severity::Info,
            exchange: last.map(Box::new),
            note: format!("it accepts timestamps {accepted} s old and refuses them {refused} s old"),
        }
    }

    fn downgrade(&mut self) -> Attempt {
        if !self.gate.request.url.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://")) {
            return Attempt::Skip(
                "the URL is https://: PLAINTEXT travels over TLS; an http:// URL tests the downgrade".into(),
            );
        }
        let shape = self.gate.variant(Variant::Method("PLAINTEXT"));
        match self.sign_fresh(&shape) {
            Ok(signed) => Attempt::Sent { exchange: Box::new(self.wire.send(&signed.request.transmit())), shape: None },
            Err(skip) => skip,
        }
    }

    /// The first candidate re-signed request the server accepts for `shape`, with what it
    /// says of the server; `rebuilds`: try URL reconstructions as well as quirks.
    fn diagnose(&mut self, shape: &Shape, rebuilds: bool) -> (Option<Candidate>, String) {
        let connect = self.connect_address.clone();
        let candidates = candidates(shape, &self.config.secrets, connect.as_deref(), rebuilds);
        let mut tried = 0;
        for candidate in candidates {
            if self.wire.gone() {
                break;
            }
            let Ok(signed) = candidate.sign(shape, &self.config.secrets, &Stamp::fresh(), connect.as_deref()) else {
                continue;
            };
            let exchange = self.wire.send(&signed.transmit());
            if matches!(exchange.response, Err(Failure::Cap(_))) {
                break;
            }
            tried += 1;
            if exchange.accepted() {
                return (Some(candidate), candidate.describe(shape, connect.as_deref()));
            }
        }
        let what = if rebuilds { "URL reconstruction or catalogued quirk" } else { "catalogued quirk" };
        (None, format!("no {what} the probe re-signed the request with was accepted ({tried} tried)"))
    }

    fn finish(&mut self, row: &CaseRow, attempt: Attempt) -> ProbeCaseResult {
        let (verdict, severity, exchange, diagnosis, explained_by) = match attempt {
            Attempt::Skip(reason) => (Verdict::Skip, Severity::None, None, Some(reason), None),
            Attempt::Decided { verdict, severity, exchange, note } => {
                (verdict, severity, exchange.map(|e| *e), Some(note), None)
            }
            Attempt::Sent { exchange, shape } => self.judge_sent(row, *exchange, shape.as_deref()),
        };
        if let Some(observed) = exchange.as_ref().and_then(|e| e.observed) {
            self.observed.insert(row.id.clone(), observed);
        }
        let request = exchange.as_ref().and_then(|e| e.request.as_ref()).map(|r| self.wire.reported(r, &self.redactor));
        let response_excerpt =
            exchange.as_ref().and_then(|e| e.response.as_ref().ok()).and_then(|r| excerpt(r, &self.redactor));
        ProbeCaseResult {
            id: row.id.clone(),
            family: row.family,
            rfc: row.rfc.clone(),
            change: row.change.clone(),
            expected: row.expected,
            may_refuse: row.may_refuse,
            may_accept: row.may_accept,
            verdict,
            severity,
            observed_status: exchange.as_ref().and_then(Exchange::status),
            diagnosis: diagnosis.map(|d| self.redactor.request_text(&d, false)),
            explained_by,
            replay: format!("{} --case {}", self.config.replay_command, row.id),
            request,
            response_excerpt,
        }
    }

    fn judge_sent(
        &mut self,
        row: &CaseRow,
        exchange: Exchange,
        shape: Option<&Shape>,
    ) -> (Verdict, Severity, Option<Exchange>, Option<String>, Option<String>) {
        let observed = match (&exchange.response, exchange.observed) {
            (Err(Failure::Cap(max)), _) => {
                return (Verdict::Skip, Severity::None, None, Some(format!("--max-requests {max} reached")), None)
            }
            (Err(failure), _) => {
                let note = failure.to_string();
                return (Verdict::Inconclusive, Severity::None, Some(exchange), Some(note), None);
            }
            (Ok(_), Some(observed)) => observed,
            (Ok(_), None) => Observed::Neither,
        };
        let control_accepted = row.control.as_ref().map(|c| self.observed.get(c) == Some(&Observed::Accepted));
        let (verdict, severity) = judge(row, observed, control_accepted);
        let status = exchange.status().unwrap_or_default();
        let mut note = match (observed, verdict) {
            (Observed::Neither, _) => format!(
                "answered {status}, in neither --accept-status {} nor --reject-status {}",
                self.config.oracle.accept.text(),
                self.config.oracle.reject.text()
            ),
            (_, Verdict::Inconclusive) => format!("refused ({status}), but so was the request it was made from"),
            (Observed::Accepted, _) => format!("accepted ({status})"),
            (Observed::Refused, _) => format!("refused ({status})"),
        };
        let mut explained_by = None;
        if let (Expected::Accept, Observed::Refused, Some(shape)) = (row.expected, observed, shape) {
            let rebuilds = row.id == "valid-gate";
            let (candidate, why) = self.diagnose(shape, rebuilds);
            explained_by = candidate.map(|c| c.id());
            note = format!("{note}: {why}");
        }
        (verdict, severity, Some(exchange), Some(note), explained_by)
    }
}

fn first_not_accepted(first: Exchange) -> Attempt {
    let note = match (&first.response, first.status()) {
        (Err(e), _) => format!("the first sending got no answer: {e}"),
        (Ok(_), Some(status)) => format!("the first sending was not accepted ({status}): nothing to replay"),
        (Ok(_), None) => "the first sending was not accepted".to_owned(),
    };
    Attempt::Decided { verdict: Verdict::Inconclusive, severity: Severity::None, exchange: Some(Box::new(first)), note }
}
