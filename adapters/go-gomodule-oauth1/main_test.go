package main

// Run from the repository root: bash adapters/go-gomodule-oauth1/build.sh test

import (
	"errors"
	"strings"
	"testing"

	"oauth1conformance/adapterproto"
	"oauth1conformance/adaptertest"
)

var handlers = adapterproto.Handlers{Sign: sign}

// RFC 5849 §3.4.1 with oauth_version=1.0 (the library always sends it): the published base string
// and the errata-2550 signature.
func TestRFC5849Section341WithVersion(t *testing.T) {
	rfcCase := adaptertest.CorpusCase(t, "rfc5849-3.4.1-hmac-sha1-with-version")
	answers := adaptertest.Session(t, implementation(), handlers, rfcCase.ProtocolRequest(1), map[string]string{"cmd": "stop"})
	trace := adaptertest.Trace(t, answers[1])
	if trace["signature"] != "OB33pYjWAnf+xtOHN4Gmbdil168=" {
		t.Errorf("signature %v", trace["signature"])
	}
	if trace["signature_base_string"] != rfcCase.Expected["signature_base_string"] {
		t.Errorf("base string %v", trace["signature_base_string"])
	}
	if header, _ := trace["authorization_header"].(string); strings.Contains(header, "realm") {
		t.Errorf("the library has no realm, yet: %s", header)
	}
	if len(answers) != 3 || answers[2]["ok"] != true {
		t.Errorf("no stop answer: %v", answers)
	}
}

// Without a version the library still sends one; a command it does not serve and a request without
// inputs are adapter errors: all answered in order.
func TestAnswersInOrder(t *testing.T) {
	rfcCase := adaptertest.CorpusCase(t, "rfc5849-3.4.1-hmac-sha1")
	answers := adaptertest.Session(t, implementation(), handlers,
		rfcCase.ProtocolRequest(1), map[string]interface{}{"cmd": "verify", "id": 2}, map[string]interface{}{"cmd": "sign", "id": 3})
	if header, _ := adaptertest.Trace(t, answers[1])["authorization_header"].(string); !strings.Contains(header, `oauth_version="1.0"`) {
		t.Errorf("expected the library's oauth_version in %s", header)
	}
	for i, answer := range answers[2:] {
		if answer["id"] != float64(i+2) || answer["error"] == nil {
			t.Errorf("answer %d: %v", i+2, answer)
		}
	}
}

// The shared loop's outcomes of a library call (adapterproto.Library): an error is `rejected`, a
// panic `crashed` (with the panic's value), and the process keeps serving after both.
func TestLibraryErrorIsRejectedAndPanicIsCrashed(t *testing.T) {
	failing := adapterproto.Handlers{Sign: func(message *adapterproto.Message) (map[string]string, error) {
		if message.OAuth.ConsumerKey == "panics" {
			return nil, adapterproto.Library(func() error { panic("index out of range") })
		}
		return nil, adapterproto.Library(func() error { return errors.New("refused") })
	}}
	rfcCase := adaptertest.CorpusCase(t, "rfc5849-3.4.1-hmac-sha1-with-version")
	panics := rfcCase.ProtocolRequest(1)
	panics["oauth"] = map[string]interface{}{"consumer_key": "panics", "signature_method": "HMAC-SHA1", "extra": map[string]string{}}
	answers := adaptertest.Session(t, implementation(), failing, panics, rfcCase.ProtocolRequest(2))
	crashed, _ := answers[1]["crashed"].(map[string]interface{})
	if message, _ := crashed["message"].(string); !strings.HasPrefix(message, "panic: index out of range") {
		t.Errorf("a panic is not crashed: %v", answers[1])
	}
	if rejected, _ := answers[2]["rejected"].(map[string]interface{}); rejected["message"] != "*errors.errorString: refused" {
		t.Errorf("an error is not rejected: %v", answers[2])
	}
}
