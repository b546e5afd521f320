//! Attribution: the smallest set of catalogued quirks whose pipeline reproduces exactly what an
//! implementation produced.

use oauth1_reference::header_syntax::violations;
use oauth1_reference::rsa_signature::{open_rsa_signature, OpenedRsaSignature, RsaPrivateKey};

use super::pipeline::{complete, prepare, Prepared, RsaSigner};
use super::{Quirk, QuirkSet};
use crate::implementation::SignInput;
use crate::trace::{Stage, Trace};

/// What attribution needs of a case's keys and the observed signature, computed once per
/// case rather than once per candidate quirk set.
struct AttributionKeys {
    private_key: Option<RsaPrivateKey>,
    /// `None`: no RSA key, or `observed` reports no signature. `Some(None)`: the observed
    /// signature does not open under the public key (so no RSA candidate reproduces it).
    opened_signature: Option<Option<OpenedRsaSignature>>,
}

impl AttributionKeys {
    fn new(input: &SignInput<'_>, observed: &Trace) -> Self {
        let private_key =
            input.secrets.rsa_private_key_pem.as_deref().and_then(|pem| RsaPrivateKey::from_pem(pem).ok());
        let opened_signature = match (&private_key, observed.signature.as_deref()) {
            (Some(key), Some(signature)) => Some(open_rsa_signature(&key.public_key(), signature)),
            _ => None,
        };
        Self { private_key, opened_signature }
    }
}

/// Whether the stages before the signature can match `observed`: a cheap filter that spares
/// most candidates the HMAC or RSA operation. For RSA, when `observed` reports a signature,
/// it must verify against the candidate's base string: PKCS#1 v1.5 signatures are
/// deterministic, so a candidate whose signature would match always passes, and the observed
/// signature is opened once per case, so each candidate costs a hash, not an RSA operation.
fn prepared_may_reproduce(prepared: &Prepared, observed: &Trace, keys: &AttributionKeys) -> bool {
    let same = |seen: Option<&str>, ours: Option<&str>| seen.is_none() || seen == ours;
    let signature_may_match = match (prepared.method.rsa_hash(), &keys.opened_signature) {
        // A raw-octets signature is not the base64 the verifier reads: the full comparison decides.
        (Some(hash), Some(opened)) if !prepared.raw_rsa_signature && !prepared.unreadable_rsa_key => {
            opened.as_ref().is_some_and(|opened| opened.signs(hash, prepared.base_string.as_bytes()))
        }
        _ => true,
    };
    same(observed.body_hash.as_deref(), prepared.body_hash.as_deref())
        && same(observed.normalized_parameters.as_deref(), Some(&prepared.normalized))
        && same(observed.base_string_uri.as_deref(), Some(&prepared.base_uri))
        && same(observed.signature_base_string.as_deref(), Some(&prepared.base_string))
        && signature_may_match
}

/// Whether `candidate` reproduces `observed` on every stage `observed` reports (the header
/// compared as a parameter list, as in the judge).
#[must_use]
pub fn reproduces(candidate: &Trace, observed: &Trace) -> bool {
    Stage::ALL.into_iter().all(|stage| match (observed.stage(stage), candidate.stage(stage)) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(seen), Some(ours)) if stage == Stage::AuthorizationHeader => crate::judge::same_header_params(seen, ours),
        (Some(seen), Some(ours)) => seen == ours,
    })
}

/// The result of attributing one divergence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribution {
    /// The smallest quirk set whose pipeline reproduces the implementation's output.
    Explained(QuirkSet),
    /// No set of up to [`MAX_QUIRKS`] quirks does.
    Unexplained,
    /// None found before the blind search had tried [`BLIND_BUDGET`] candidate sets: the
    /// case may still be explained by a set the search did not reach.
    CutShort,
}

/// The most candidate sets the blind search of [`attribute_with`] prepares for one case.
/// With 80-odd catalogued quirks, sets of three run to tens of thousands per case, and a row
/// whose bug the catalogue lacks would spend minutes proving each of its divergences
/// unexplained. A budget per case (not per row) keeps the answer a function of the case
/// alone, so shards merged give the unsharded run's results.
pub const BLIND_BUDGET: usize = 500;

/// The largest quirk set the blind search of [`attribute_with`] tries.
pub const MAX_QUIRKS: usize = 3;

/// Finds the smallest set of up to [`MAX_QUIRKS`] quirks whose pipeline reproduces
/// `observed` on `input` (a blind search: no knowledge of the implementation).
#[must_use]
pub fn attribute(input: &SignInput<'_>, observed: &Trace) -> Attribution {
    search(input, observed, &[], usize::MAX)
}

/// Finds a quirk set whose pipeline reproduces `observed` on `input`, searching first every
/// combination of `fingerprint` (the quirks the implementation is known to have, most
/// frequent first: a generated request can show four or five of one library's quirks at once,
/// beyond a blind search of three), smallest first, then the smallest set of up to
/// [`MAX_QUIRKS`] of every catalogued quirk. Preferring the implementation's own quirks keeps
/// its explanations consistent: where a case alone cannot tell two sets apart, the one the
/// implementation is known for is named. Every set named reproduces `observed` exactly.
///
/// The case is prepared once: the reference's stages, the quirks that change them, and the
/// keys, for every candidate of both searches.
///
/// The blind search stops after [`BLIND_BUDGET`] candidate sets ([`Attribution::CutShort`]);
/// [`attribute`], for one case at a time, has none.
#[must_use]
pub fn attribute_with(input: &SignInput<'_>, observed: &Trace, fingerprint: &[Quirk]) -> Attribution {
    search(input, observed, fingerprint, BLIND_BUDGET)
}

/// [`attribute_with`] with no blind search beyond the empty set: for a case the row's
/// baseline already records as unexplained, where only the row's own quirks may now explain it.
#[must_use]
pub fn attribute_with_fingerprint_only(input: &SignInput<'_>, observed: &Trace, fingerprint: &[Quirk]) -> Attribution {
    search(input, observed, fingerprint, 0)
}

fn search(input: &SignInput<'_>, observed: &Trace, fingerprint: &[Quirk], budget: usize) -> Attribution {
    let keys = AttributionKeys::new(input, observed);
    let signer = RsaSigner::new(keys.private_key.as_ref());
    let Ok(reference) = prepare(input, &QuirkSet::default()) else {
        return Attribution::Unexplained;
    };
    let required = required_quirk(observed);
    let reproduces_with = |set: &QuirkSet| -> bool {
        if required.is_some_and(|quirk| !set.has(quirk)) {
            return false;
        }
        let Ok(prepared) = prepare(input, set) else { return false };
        prepared_may_reproduce(&prepared, observed, &keys)
            && complete(prepared, &signer).is_ok_and(|trace| reproduces(&trace, observed))
    };
    if reproduces_with(&QuirkSet::default()) {
        return Attribution::Explained(QuirkSet::default());
    }
    if !fingerprint.is_empty() {
        let mut candidates = relevant_quirks(input, &reference, fingerprint);
        candidates.extend(relevant_in_pairs(input, fingerprint, &candidates));
        candidates.extend(relevant_beside_one(input, fingerprint, &candidates));
        candidates.truncate(MAX_FINGERPRINT);
        let mut masks: Vec<u32> = (1..(1u32 << candidates.len())).collect();
        masks.sort_by_key(|m| m.count_ones());
        for mask in masks {
            let set: Vec<Quirk> =
                candidates.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, q)| *q).collect();
            let set = QuirkSet::of(&set);
            if reproduces_with(&set) {
                return Attribution::Explained(set);
            }
        }
    }
    let relevant = relevant_quirks(input, &reference, Quirk::ALL);
    // The quirks that change only how the header is written are searched apart: first the
    // signing ones that reproduce every stage but the header, then the header ones on top.
    // Combined, the search of three became the product of both catalogues' combinations, and
    // several header quirks apply to nearly every request.
    let (header_only, signing): (Vec<Quirk>, Vec<Quirk>) = relevant
        .iter()
        .partition(|&&q| prepare(input, &QuirkSet::of(&[q])).is_ok_and(|p| p != reference && p.signs_like(&reference)));
    let signs_alike = |set: &QuirkSet| -> bool {
        let Ok(prepared) = prepare(input, set) else { return false };
        prepared_may_reproduce(&prepared, observed, &keys)
            && complete(prepared, &signer).is_ok_and(|trace| reproduces_signing(&trace, observed))
    };
    let with_header = |signing_set: &QuirkSet| -> Option<QuirkSet> {
        let mut found = None;
        for_each_set(&header_only, &mut |header_set| {
            let mut both = signing_set.quirks().to_vec();
            both.extend_from_slice(header_set.quirks());
            let both = QuirkSet::of(&both);
            if reproduces_with(&both) {
                found = Some(both);
            }
            found.is_some()
        });
        found
    };
    let mut found = None;
    let mut tried = 0;
    for_each_set(&signing, &mut |set| {
        tried += 1;
        if signs_alike(set) {
            found = with_header(set);
        }
        found.is_some() || tried >= budget
    });
    match found.filter(|set| !set.quirks().is_empty()) {
        Some(set) => Attribution::Explained(set),
        None if tried >= budget => Attribution::CutShort,
        None => Attribution::Unexplained,
    }
}

/// The quirks of `among` whose pipeline alone signs `input` exactly as `quirk` alone does,
/// `quirk` first and the others in `among`'s order: the ties a search that stops at its first
/// answer breaks by catalogue order alone (on a form body with a query, `ignores-form-body` and
/// `ignores-form-body-with-query` sign alike). A function of the case alone, so a result can
/// carry it and the row's other cases break the tie after a run or a merge of its shards alike
/// (`crate::row_evidence`). The same prepared stages sign to the same trace, so only a quirk
/// that prepares the signed stages alike but writes the header with other rules (which this
/// request's values may not exercise) costs a signature.
#[must_use]
pub fn single_quirks_signing_like(input: &SignInput<'_>, quirk: Quirk, among: &[Quirk]) -> Vec<Quirk> {
    let Ok(named) = prepare(input, &QuirkSet::of(&[quirk])) else {
        return Vec::new();
    };
    let private_key = input.secrets.rsa_private_key_pem.as_deref().and_then(|pem| RsaPrivateKey::from_pem(pem).ok());
    let signer = RsaSigner::new(private_key.as_ref());
    let mut named_trace = None;
    let mut alike = |prepared: Prepared| {
        if prepared == named {
            return true;
        }
        if !prepared.signs_like(&named) {
            return false;
        }
        let ours = named_trace.get_or_insert_with(|| complete(named.clone(), &signer).ok());
        ours.is_some() && complete(prepared, &signer).ok() == *ours
    };
    let mut found = vec![quirk];
    for &q in among {
        if q != quirk && q.is_switchable() && prepare(input, &QuirkSet::of(&[q])).is_ok_and(&mut alike) {
            found.push(q);
        }
    }
    found
}

/// The quirks of `among` that alone sign `input` otherwise than `observed` on a stage it
/// reports, or write a header that breaks §3.5.1 where `observed`'s does not: on a case an
/// implementation signed as the RFC says, evidence that it does not have them (alone; another
/// of its quirks could undo one, so this only breaks ties). The reference is prepared once, and
/// a quirk whose signed stages already differ from what `observed` reports costs no signature.
#[must_use]
pub fn single_quirks_changing(input: &SignInput<'_>, among: &[Quirk], observed: &Trace) -> Vec<Quirk> {
    let Ok(reference) = prepare(input, &QuirkSet::default()) else {
        return Vec::new();
    };
    let private_key = input.secrets.rsa_private_key_pem.as_deref().and_then(|pem| RsaPrivateKey::from_pem(pem).ok());
    let signer = RsaSigner::new(private_key.as_ref());
    let breaks_syntax =
        |trace: &Trace| trace.authorization_header.as_deref().is_some_and(|h| !violations(h.as_bytes()).is_empty());
    let observed_breaks_syntax = breaks_syntax(observed);
    let differs = |seen: Option<&str>, ours: &str| seen.is_some_and(|seen| seen != ours);
    let changes = |quirk: Quirk| {
        let Ok(prepared) = prepare(input, &QuirkSet::of(&[quirk])) else { return false };
        // The same prepared stages sign to the same trace: no signature to compute.
        if prepared == reference {
            return false;
        }
        if differs(observed.normalized_parameters.as_deref(), &prepared.normalized)
            || differs(observed.base_string_uri.as_deref(), &prepared.base_uri)
            || differs(observed.signature_base_string.as_deref(), &prepared.base_string)
        {
            return true;
        }
        complete(prepared, &signer)
            .is_ok_and(|trace| !reproduces(&trace, observed) || (breaks_syntax(&trace) && !observed_breaks_syntax))
    };
    among.iter().copied().filter(|&q| q.is_switchable() && changes(q)).collect()
}

/// Calls `visit` with the empty set, then every set of one, two and three of `quirks`, in
/// that order, until it returns `true`.
fn for_each_set(quirks: &[Quirk], visit: &mut dyn FnMut(&QuirkSet) -> bool) {
    if visit(&QuirkSet::default()) {
        return;
    }
    for &a in quirks {
        if visit(&QuirkSet::of(&[a])) {
            return;
        }
    }
    for (i, &a) in quirks.iter().enumerate() {
        for &b in quirks.iter().skip(i + 1) {
            if visit(&QuirkSet::of(&[a, b])) {
                return;
            }
        }
    }
    for (i, &a) in quirks.iter().enumerate() {
        for (j, &b) in quirks.iter().enumerate().skip(i + 1) {
            for &c in quirks.iter().skip(j + 1) {
                if visit(&QuirkSet::of(&[a, b, c])) {
                    return;
                }
            }
        }
    }
}

/// Whether `candidate` reproduces every stage `observed` reports but the Authorization header.
fn reproduces_signing(candidate: &Trace, observed: &Trace) -> bool {
    Stage::ALL.into_iter().filter(|&s| s != Stage::AuthorizationHeader).all(|stage| {
        match (observed.stage(stage), candidate.stage(stage)) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(seen), Some(ours)) => seen == ours,
        }
    })
}

/// A quirk every set that reproduces `observed` must contain, read off the observed header:
/// without `header-values-unquoted` the pipeline always writes `oauth_signature="…"`, so a
/// header with no `"` at all can only come from a set with it. Skipping the sets without it
/// before preparing them leaves the search's answer unchanged and spares most of its work on
/// such implementations (twapi-oauth's cases need four to seven quirks each, so every one of
/// them exhausts the sets of three).
fn required_quirk(observed: &Trace) -> Option<Quirk> {
    observed
        .authorization_header
        .as_deref()
        .is_some_and(|header| !header.contains('"'))
        .then_some(Quirk::HeaderValuesUnquoted)
}

/// The switchable quirks among `quirks` that can change what `input` signs to: those that
/// change it alone, and those that change it on top of all of those (a body-hash digest
/// quirk matters only once another quirk adds a body hash).
fn relevant_quirks(input: &SignInput<'_>, reference: &Prepared, quirks: &[Quirk]) -> Vec<Quirk> {
    let changes = |set: &[Quirk], than: &Prepared| prepare(input, &QuirkSet::of(set)).is_ok_and(|p| p != *than);
    let switchable: Vec<Quirk> = quirks.iter().copied().filter(|q| q.is_switchable()).collect();
    let alone: Vec<Quirk> = switchable.iter().copied().filter(|&q| changes(&[q], reference)).collect();
    let Ok(with_all) = prepare(input, &QuirkSet::of(&alone)) else {
        return alone;
    };
    let mut relevant = alone.clone();
    for &q in switchable.iter().filter(|q| !alone.contains(q)) {
        let mut set = alone.clone();
        set.push(q);
        if changes(&set, &with_all) {
            relevant.push(q);
        }
    }
    relevant
}

/// The switchable quirks among `quirks`, beyond `relevant`, that change what `input` signs
/// to only two at a time: on an empty form body, reading its content type as no form changes
/// nothing until a body-hash quirk hashes the body then left unsigned, and that quirk changes
/// nothing while the body is a form.
fn relevant_in_pairs(input: &SignInput<'_>, quirks: &[Quirk], relevant: &[Quirk]) -> Vec<Quirk> {
    let Ok(base) = prepare(input, &QuirkSet::of(relevant)) else {
        return Vec::new();
    };
    let rest: Vec<Quirk> = quirks.iter().copied().filter(|q| q.is_switchable() && !relevant.contains(q)).collect();
    let mut found = Vec::new();
    for (i, &a) in rest.iter().enumerate() {
        for &b in rest.iter().skip(i + 1) {
            let mut set = relevant.to_vec();
            set.extend([a, b]);
            if prepare(input, &QuirkSet::of(&set)).is_ok_and(|p| p != base) {
                found.extend([a, b].into_iter().filter(|q| !found.contains(q)).collect::<Vec<_>>());
            }
        }
    }
    found
}

/// The switchable quirks among `quirks`, beyond `relevant`, that change what `input` signs
/// next to one of `relevant` though not next to all of them: a sort order that matters only
/// once another quirk has renamed a parameter is hidden when every relevant quirk is on at
/// once (one of them may drop the parameters altogether).
fn relevant_beside_one(input: &SignInput<'_>, quirks: &[Quirk], relevant: &[Quirk]) -> Vec<Quirk> {
    let alone: Vec<(Quirk, Prepared)> =
        relevant.iter().filter_map(|&a| prepare(input, &QuirkSet::of(&[a])).ok().map(|p| (a, p))).collect();
    let rest = quirks.iter().copied().filter(|q| q.is_switchable() && !relevant.contains(q));
    rest.filter(|&q| {
        alone.iter().any(|(a, beside)| prepare(input, &QuirkSet::of(&[*a, q])).is_ok_and(|p| p != *beside))
    })
    .collect()
}

/// The most fingerprint quirks [`attribute_with`] combines (2^12 subsets at most).
pub const MAX_FINGERPRINT: usize = 12;
