package main

// Run from the repository root: bash adapters/go-mrjones-oauth/build.sh test

import (
	"encoding/json"
	"strings"
	"testing"

	"oauth1conformance/adapterproto"
	"oauth1conformance/adaptertest"
)

var handlers = adapterproto.Handlers{Sign: sign, Verify: verify}

// mrjones/oauth's nonces are int63 values, so the RFC 5849 examples (nonce "7d8f3e4a") cannot be
// sent; published requests with numeric nonces can: gomodule/oauth1's Netflix example and the body
// hash draft's appendix A.1 (oauth_body_hash requested through ServiceProvider.BodyHash).
func TestPublishedRequestsWithNumericNonces(t *testing.T) {
	for _, id := range []string{"lib-gomodule-netflix-space-in-query", "lib-pyoauth2-bodyhash-draft-a1a"} {
		published := adaptertest.CorpusCase(t, id)
		answers := adaptertest.Session(t, implementation(), handlers, published.ProtocolRequest(1))
		trace := adaptertest.Trace(t, answers[1])
		for _, stage := range []string{"signature_base_string", "signature"} {
			if want, given := published.Expected[stage], trace[stage]; want != given {
				t.Errorf("%s %s: want %v, got %v", id, stage, want, given)
			}
		}
	}
}

func TestRFC5849NonceCannotBeSent(t *testing.T) {
	answers := adaptertest.Session(t, implementation(), handlers, adaptertest.CorpusCase(t, "rfc5849-3.4.1-hmac-sha1-with-version").ProtocolRequest(1))
	message, _ := answers[1]["unsupported"].(map[string]interface{})["message"].(string)
	if !strings.Contains(message, "7d8f3e4a") {
		t.Errorf("answer %v", answers[1])
	}
}

// The Provider verifies RSA-SHA1 with a Consumer holding the private key: the oauth.net request
// with only its public key cannot be handed to it; with the private key of the oauth.net sign
// case (the same key pair) the published request is accepted.
func TestRSAVerifyNeedsThePrivateKey(t *testing.T) {
	verifyCase := adaptertest.CorpusCase(t, "oauthnet-rsa-sha1-photos-verify-public-key")
	var secrets, signSecrets map[string]interface{}
	if json.Unmarshal(verifyCase.Secrets, &secrets) != nil || json.Unmarshal(adaptertest.CorpusCase(t, "oauthnet-rsa-sha1-photos").Secrets, &signSecrets) != nil {
		t.Fatal("corpus secrets are not objects")
	}
	withPrivateKey := verifyCase.ProtocolRequest(2)
	secrets["rsa_private_key_pem"] = signSecrets["rsa_private_key_pem"]
	withPrivateKey["secrets"] = secrets
	answers := adaptertest.Session(t, implementation(), handlers, verifyCase.ProtocolRequest(1), withPrivateKey)
	if _, unsupported := answers[1]["unsupported"]; !unsupported {
		t.Errorf("public key only: %v", answers[1])
	}
	if result, _ := answers[2]["result"].(map[string]interface{}); result["accepted"] != true {
		t.Errorf("with the private key: %v", answers[2])
	}
}
