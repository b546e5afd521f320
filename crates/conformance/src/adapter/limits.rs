//! How much of an adapter's answers the harness keeps.
//!
//! A response line may be 16 MiB, and every answer is kept until the reports are written: an
//! adapter whose every answer carries a 15 MiB string grew the harness by about 60 MB a case
//! until it aborted. So each answer is cut down as soon as the reader thread has parsed it,
//! before it is queued: a text field to [`AnswerLimits::field`], an answer to
//! [`AnswerLimits::answer`] in all, and once an adapter's answers have kept
//! [`AnswerLimits::session`] bytes, each later answer to [`AnswerLimits::after_session`].
//! What is cut ends with a note saying how much there was, so the result shows it (a cut
//! stage differs from the expected one, and the diff shows why). Peak memory is then bounded
//! by the session budget plus a small amount per case, whatever the adapter sends.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::protocol::{Rejected, Response, ResultBody};
use crate::trace::CollectedParameter;

/// The limits on what is kept of an adapter's answers (see the module documentation and
/// `adapters/PROTOCOL.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimits {
    /// The most kept of one text field: a stage, a parameter name or value, a message (1 MiB).
    pub field: usize,
    /// The most kept of one answer, all its fields together (4 MiB).
    pub answer: usize,
    /// How much answer text one adapter keeps in a run before the tighter limit applies
    /// (64 MiB).
    pub session: usize,
    /// The most kept of one answer once `session` is spent (64 KiB, some thirty times a
    /// typical answer).
    pub after_session: usize,
}

impl Default for AnswerLimits {
    fn default() -> Self {
        Self { field: 1 << 20, answer: 4 << 20, session: 64 << 20, after_session: 64 << 10 }
    }
}

/// The limits and what one adapter's answers have kept so far, shared by its successive
/// reader threads (an adapter restarted after a fault keeps its account).
#[derive(Debug, Default)]
pub(super) struct Budget {
    limits: AnswerLimits,
    kept: AtomicUsize,
}

impl Budget {
    pub(super) fn new(limits: AnswerLimits) -> Self {
        Self { limits, kept: AtomicUsize::new(0) }
    }

    /// Cuts `response` down to what may be kept, and accounts for what is kept.
    pub(super) fn limit(&self, response: &mut Response) {
        let spent = self.kept.load(Ordering::Relaxed) >= self.limits.session;
        let answer = if spent { self.limits.after_session } else { self.limits.answer };
        let mut cutter = Cutter { field: self.limits.field, left: answer, total: answer };
        cutter.response(response);
        self.kept.fetch_add(answer - cutter.left, Ordering::Relaxed);
    }
}

/// Cuts one answer's fields in a fixed order (the stages first), drawing on what is left of
/// the answer's allowance.
struct Cutter {
    field: usize,
    left: usize,
    total: usize,
}

impl Cutter {
    fn response(&mut self, response: &mut Response) {
        match &mut response.result {
            Some(ResultBody::Trace { trace }) => {
                for value in [
                    &mut trace.signature,
                    &mut trace.body_hash,
                    &mut trace.base_string_uri,
                    &mut trace.normalized_parameters,
                    &mut trace.signature_base_string,
                    &mut trace.authorization_header,
                    &mut trace.emitted_nonce,
                    &mut trace.emitted_timestamp,
                ]
                .into_iter()
                .flatten()
                {
                    self.text(value);
                }
                if let Some(parameters) = &mut trace.collected_parameters {
                    self.list(
                        parameters,
                        |p| [&mut p.name, &mut p.value, &mut p.source],
                        |dropped| CollectedParameter { name: String::new(), value: dropped, source: "harness".into() },
                    );
                }
            }
            Some(ResultBody::Params { params }) => {
                self.list(params, |(name, value)| [name, value], |dropped| (String::new(), dropped));
            }
            Some(ResultBody::Verdict { .. }) | None => {}
        }
        if let Some(Rejected { reason, message }) = &mut response.rejected {
            if let Some(reason) = reason {
                self.text(reason);
            }
            self.text(message);
        }
        for said in [&mut response.unsupported, &mut response.crashed].into_iter().flatten() {
            self.text(&mut said.message);
        }
        if let Some(failure) = &mut response.error {
            self.text(&mut failure.message);
            if let Some(context) = &mut failure.context {
                self.text(context);
            }
        }
    }

    /// Cuts `text` to what is left (at most a field's limit), on a character boundary, with
    /// a note when anything was cut.
    fn text(&mut self, text: &mut String) {
        let keep = self.field.min(self.left);
        self.left -= text.len().min(keep);
        if text.len() > keep {
            let mut cut = keep;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let length = text.len();
            text.truncate(cut);
            text.shrink_to_fit();
            text.push_str(&format!(
                "…[cut by the harness: {length} bytes in all; it keeps {} bytes of a field and {} of an answer]",
                self.field, self.total
            ));
        }
    }

    /// Cuts each item's fields; once the answer's allowance is spent, drops the remaining
    /// items and appends one made by `note` to say how many.
    fn list<T, const N: usize>(
        &mut self,
        items: &mut Vec<T>,
        fields: impl Fn(&mut T) -> [&mut String; N],
        note: impl FnOnce(String) -> T,
    ) {
        let mut kept = 0;
        for item in items.iter_mut() {
            if self.left == 0 {
                break;
            }
            for field in fields(item) {
                self.text(field);
            }
            kept += 1;
        }
        if kept < items.len() {
            let dropped = items.len() - kept;
            items.truncate(kept);
            items.shrink_to_fit();
            items.push(note(format!(
                "[cut by the harness: {dropped} more items; it keeps {} bytes of an answer]",
                self.total
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::AdapterFailure;
    use crate::trace::Trace;

    fn limits() -> AnswerLimits {
        AnswerLimits { field: 10, answer: 25, session: 60, after_session: 12 }
    }

    fn trace_response(trace: Trace) -> Response {
        Response {
            id: 1,
            result: Some(ResultBody::Trace { trace }),
            rejected: None,
            unsupported: None,
            crashed: None,
            error: None,
        }
    }

    #[test]
    fn fields_answers_and_sessions_are_cut_with_a_note() {
        let budget = Budget::new(limits());
        let mut response = trace_response(Trace {
            signature: Some("s".repeat(30)),
            signature_base_string: Some("b".repeat(8)),
            authorization_header: Some("h".repeat(30)),
            normalized_parameters: Some("é".repeat(20)),
            ..Trace::default()
        });
        budget.limit(&mut response);
        let Some(ResultBody::Trace { trace }) = &response.result else { panic!() };
        let signature = trace.signature.as_deref().unwrap();
        assert!(
            signature.starts_with(&format!("{}…[cut by the harness: 30 bytes in all", "s".repeat(10))),
            "{signature}"
        );
        assert!(signature.contains("keeps 10 bytes of a field and 25 of an answer"), "{signature}");
        // 15 left: the normalized parameters (visited before the base string) keep 5 two-byte
        // characters, the base string the last 5 bytes, the header nothing.
        let normalized = trace.normalized_parameters.as_deref().unwrap();
        assert!(normalized.starts_with(&format!("{}…[cut by the harness: 40 bytes", "é".repeat(5))), "{normalized}");
        let base = trace.signature_base_string.as_deref().unwrap();
        assert!(base.starts_with("bbbbb…[cut by the harness: 8 bytes"), "{base}");
        let header = trace.authorization_header.as_deref().unwrap();
        assert!(header.starts_with("…[cut by the harness: 30 bytes"), "{header}");

        // 25 kept; an answer that fits is untouched.
        let fits = trace_response(Trace { signature: Some("x".repeat(10)), ..Trace::default() });
        let mut second = fits.clone();
        budget.limit(&mut second);
        assert_eq!(second, fits);
        // 35 kept; then 10 (a field's limit) and 20 more, and the 60 of the session are spent.
        let two_fields = trace_response(Trace {
            signature: Some("y".repeat(30)),
            authorization_header: Some("z".repeat(30)),
            ..Trace::default()
        });
        let mut third = trace_response(Trace { signature: Some("x".repeat(25)), ..Trace::default() });
        budget.limit(&mut third);
        budget.limit(&mut two_fields.clone());
        let mut fourth = two_fields;
        budget.limit(&mut fourth);
        let Some(ResultBody::Trace { trace }) = &fourth.result else { panic!() };
        assert!(trace.authorization_header.as_deref().unwrap().starts_with("zz…[cut"), "{trace:?}");
        assert!(trace.authorization_header.as_deref().unwrap().contains("and 12 of an answer"), "{trace:?}");
    }

    #[test]
    fn lists_keep_what_fits_and_count_the_rest() {
        let budget = Budget::new(limits());
        let params: Vec<(String, String)> = (0..100).map(|i| (format!("n{i}"), "vvvv".into())).collect();
        let mut response = Response {
            id: 2,
            result: Some(ResultBody::Params { params }),
            rejected: None,
            unsupported: None,
            crashed: None,
            error: None,
        };
        budget.limit(&mut response);
        let Some(ResultBody::Params { params }) = &response.result else { panic!() };
        // n0..n3 take 6 bytes each, n4 the last 1 (and a note), then nothing is left.
        assert_eq!(params.len(), 6, "{params:?}");
        assert_eq!(params[3], ("n3".to_owned(), "vvvv".to_owned()));
        assert_eq!(params[5].1, "[cut by the harness: 95 more items; it keeps 25 bytes of an answer]");

        let mut failure = Response {
            id: 3,
            result: None,
            rejected: None,
            unsupported: None,
            crashed: None,
            error: Some(AdapterFailure { message: "m".repeat(40), context: Some("c".repeat(40)) }),
        };
        budget.limit(&mut failure);
        let error = failure.error.unwrap();
        assert!(error.message.starts_with("mmmmmmmmmm…[cut by the harness: 40 bytes"), "{}", error.message);
    }
}
