// conformance-hook-for: github.com/gomodule/oauth1/oauth

// This file is added by adapters/go-common/gopath-build.sh to the build copy of Debian's
// github.com/gomodule/oauth1/oauth; it is not part of the library. It exports what the library's
// own tests reach through unexported names: the test hook that sees the protocol parameters right
// before they are signed (its tests fix oauth_nonce and oauth_timestamp through it), the function
// that writes the signature base string, and the function that computes the signed parameters.

package oauth

import (
	"bytes"
	"net/url"
)

// SetConformanceHook installs hook as the library's testHook, called by Client.oauthParams with the
// protocol parameters just before it signs them.
func SetConformanceHook(hook func(map[string]string)) {
	if hook == nil {
		hook = func(map[string]string) {}
	}
	testHook = hook
}

// ConformanceBaseString returns what writeBaseString writes for these arguments.
func ConformanceBaseString(method string, u *url.URL, form url.Values, oauthParams map[string]string) string {
	var buffer bytes.Buffer
	writeBaseString(&buffer, method, u, form, oauthParams)
	return buffer.String()
}

// ConformanceSignedParams returns Client.oauthParams for a request, oauth_signature included: the
// parameters SetAuthorizationHeader and the credential requests write into the header.
func (c *Client) ConformanceSignedParams(credentials *Credentials, method string, u *url.URL, form url.Values, callbackURL, verifier, sessionHandle string) (map[string]string, error) {
	return c.oauthParams(&request{credentials: credentials, method: method, u: u, form: form,
		callbackURL: callbackURL, verifier: verifier, sessionHandle: sessionHandle})
}
