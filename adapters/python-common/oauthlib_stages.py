"""The stages oauthlib's Client computes, for adapters built on oauthlib.oauth1.Client
(python-oauthlib, python-requests-oauthlib)."""

from library_hooks import CapturedReturns, single_value
from oauth1_adapter_protocol import add_body_hash, library
from oauthlib.oauth1.rfc5849 import signature as oa_signature

# oauthlib.oauth1.Client.get_oauth_signature calls these through the module at call time.
_CLIENT_FUNCTIONS = {
    "normalize_parameters": "normalized_parameters",
    "base_string_uri": "base_string_uri",
    "signature_base_string": "signature_base_string",
}


def client_arguments(oauth, secrets, callback_uri, verifier):
    """The keyword arguments of oauthlib.oauth1.Client (and of requests_oauthlib.OAuth1, which
    has the same names) for the case's credentials and protocol parameters."""
    return {
        "client_secret": secrets.get("consumer_secret"),
        "resource_owner_key": oauth.get("token"),
        "resource_owner_secret": secrets.get("token_secret"),
        "callback_uri": callback_uri,
        "signature_method": oauth["signature_method"],
        "rsa_key": secrets.get("rsa_private_key_pem"),
        "verifier": verifier,
        "realm": oauth.get("realm"),
        "nonce": oauth["nonce"],
        "timestamp": oauth["timestamp"],
    }


def client_stages():
    """A context manager recording normalized_parameters, base_string_uri and
    signature_base_string as the Client computes them while it signs (in `.values`)."""
    return CapturedReturns(oa_signature, _CLIENT_FUNCTIONS)


def header_params(authorization_header):
    """The parameters of an Authorization header as oauthlib's server endpoints read them."""
    return library(
        oa_signature.collect_parameters,
        headers={"Authorization": authorization_header},
        exclude_oauth_signature=False,
        with_realm=True,
    )


def refusal_reason(exc):
    """The refusal code (adapters/PROTOCOL.md) of the ValueErrors oauthlib raises about a body:
    on a GET or HEAD (oauthlib/oauth1/rfc5849/__init__.py, Client.sign), and a non-form body
    that looks like form parameters (same place)."""
    text = str(exc)
    if isinstance(exc, ValueError) and "should not include body" in text:
        return "body_on_get"
    if isinstance(exc, ValueError) and text.startswith("Body contains parameters"):
        return "form_like_body"
    return None


NO_BODY_HASH = (
    "oauthlib computed no oauth_body_hash for this request: Client.get_oauth_params "
    "hashes the body only when there is a body and a Content-Type that is not "
    "application/x-www-form-urlencoded"
)


def client_trace(stages, authorization_header, oauth):
    """The trace of a request the Client signed: the captured `stages`, the header, and the
    signature and body hash read back from the header with oauthlib's own reader."""
    params = header_params(authorization_header)
    trace = dict(stages)  # empty for PLAINTEXT: the Client computes no base string for it
    trace["signature"] = single_value(params, "oauth_signature", authorization_header)
    trace["authorization_header"] = authorization_header
    add_body_hash(trace, oauth, single_value(params, "oauth_body_hash", authorization_header), NO_BODY_HASH)
    if trace["signature"] is None:
        raise RuntimeError(f"no oauth_signature in the header oauthlib produced: {authorization_header!r}")
    return trace
