// Command adapter puts github.com/gomodule/oauth1/oauth (Debian golang-github-gomodule-oauth1-dev)
// behind the adapter protocol (adapters/PROTOCOL.md), row `gomodule-oauth1`.
//
// sign: oauth.Client{Credentials, SignatureMethod, PrivateKey}.SetAuthorizationHeader(header,
// token credentials, method, URL, form) for a net/http request, with oauth_nonce/oauth_timestamp
// fixed through the library's test hook. The stages come from the library's own functions, exported
// by hooks/export.go in the build copy (see README.md).
package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"

	"github.com/gomodule/oauth1/oauth"

	"oauth1conformance/adapterproto"
	"oauth1conformance/httpinput"
)

var signatureMethods = map[string]oauth.SignatureMethod{
	"HMAC-SHA1": oauth.HMACSHA1,
	"RSA-SHA1":  oauth.RSASHA1,
	"PLAINTEXT": oauth.PLAINTEXT,
}

// The versions built against, set by adapters/go-common/gopath-build.sh (-ldflags -X).
var builtWith = "unknown (not built by gopath-build.sh)"

func implementation() adapterproto.Implementation {
	return adapterproto.GoImplementation("gomodule-oauth1", builtWith, adapterproto.Capabilities{
		Operations:       []string{"sign"},
		SignatureMethods: []string{"HMAC-SHA1", "RSA-SHA1", "PLAINTEXT"},
		Stages:           []string{"signature_base_string", "signature", "authorization_header"},
		CanOmitVersion:   false,
		BodyHash:         false,
		// Extra protocol parameters travel only in the credential requests (see the notes).
		Limits: map[string]interface{}{
			"extras_only_without_token":        true,
			"extras_only_without_query":        true,
			"extras_only_with_form_or_no_body": true,
		},
		Notes: "sign: oauth.Client{Credentials{consumer key, consumer secret}, SignatureMethod, PrivateKey (PEM " +
			"parsed with crypto/x509)}.SetAuthorizationHeader(header, &Credentials{token, token secret} or nil when " +
			"the token is null, req.Method, req.URL, req.PostForm) where req is http.NewRequest(method, url, body) " +
			"with the Content-Type header and PostForm is what req.ParseForm() reads (POST/PUT/PATCH form bodies: the " +
			"caller hands the library the form, as its own Client.Post does). A case with oauth_callback (no token), " +
			"oauth_verifier or oauth_session_handle (a token) goes through the only calls that send them: " +
			"RequestTemporaryCredentials(client, callback, form) with TemporaryCredentialRequestURI/Method = url/" +
			"method, RequestToken(client, token credentials, verifier) with TokenRequestURI/TokenCredentailsMethod, " +
			"or RenewRequestCredentials(client, token credentials, handle) with RenewCredentialRequestURI (POST), " +
			"with an http.Client whose transport records the request and answers with credentials (nothing is sent); " +
			"those calls refuse a URL with a query and sign no form with a token, so other combinations are " +
			"unsupported (skipped). oauth_nonce and oauth_timestamp are replaced in the parameters the library " +
			"generated, through its testHook (exported by an added file in the build copy, as its own tests do). " +
			"signature_base_string is writeBaseString over the parameters the hook saw (the exact call " +
			"Client.oauthParams signs; not computed for PLAINTEXT, which signs no base string); signature is " +
			"oauth_signature from Client.oauthParams for the same request; authorization_header is the header the " +
			"library set. The library always sends oauth_version=1.0, sends no oauth_timestamp/oauth_nonce with " +
			"PLAINTEXT, has no realm and no body hash, and only HMAC-SHA1, RSA-SHA1 and PLAINTEXT.",
	})
}

// signing is one sign request, prepared for the library.
type signing struct {
	client      oauth.Client
	credentials *oauth.Credentials
	request     *http.Request
	form        url.Values
	extra       map[string]string
}

// authorize signs with the call that can carry the case's extra protocol parameters: the library
// adds oauth_callback only in RequestTemporaryCredentials, oauth_verifier only in RequestToken and
// oauth_session_handle only in RenewRequestCredentials, each of which sends its request (here to a
// httpinput.Recorder) to a URL without a query; every other request goes through
// SetAuthorizationHeader.
func (s *signing) authorize() (string, error) {
	if len(s.extra) == 0 {
		header := http.Header{}
		err := s.client.SetAuthorizationHeader(header, s.credentials, s.request.Method, s.request.URL, s.form)
		return header.Get("Authorization"), err
	}
	// The credential requests read credentials from the answer.
	recorder := &httpinput.Recorder{Body: "oauth_token=recorded&oauth_token_secret=recorded"}
	httpClient := &http.Client{Transport: recorder}
	target := s.request.URL.String()
	var err error
	switch {
	case s.credentials == nil:
		s.client.TemporaryCredentialRequestURI, s.client.TemporaryCredentialsMethod = target, s.request.Method
		_, err = s.client.RequestTemporaryCredentials(httpClient, s.extra["oauth_callback"], s.form)
	case s.extra["oauth_verifier"] != "":
		s.client.TokenRequestURI, s.client.TokenCredentailsMethod = target, s.request.Method
		_, _, err = s.client.RequestToken(httpClient, s.credentials, s.extra["oauth_verifier"])
	default:
		s.client.RenewCredentialRequestURI = target
		_, _, err = s.client.RenewRequestCredentials(httpClient, s.credentials, s.extra["oauth_session_handle"])
	}
	if err != nil {
		return "", err
	}
	return recorder.Request.Header.Get("Authorization"), nil
}

// expressible says why the library's API cannot send the request's extra protocol parameters, or "".
func (s *signing) expressible(body *string) string {
	if len(s.extra) == 0 {
		return ""
	}
	names := make([]string, 0, len(s.extra))
	for name := range s.extra {
		names = append(names, name)
	}
	sort.Strings(names)
	only := func(name string) bool { return len(s.extra) == 1 && s.extra[name] != "" }
	switch {
	case s.request.URL.RawQuery != "":
		return "the credential requests (the only ones with extra protocol parameters) refuse a URL with a query"
	case body != nil && *body != "" && len(s.form) == 0:
		return "the credential requests send a form body or none"
	case s.credentials == nil && only("oauth_callback"):
		return ""
	case s.credentials != nil && only("oauth_verifier") && len(s.form) == 0:
		return ""
	case s.credentials != nil && only("oauth_session_handle") && len(s.form) == 0 && s.request.Method == http.MethodPost:
		return ""
	}
	return fmt.Sprintf("extra protocol parameters %v: the library sends a non-empty oauth_callback (no token) only in "+
		"RequestTemporaryCredentials, oauth_verifier (a token, no form) only in RequestToken, oauth_session_handle "+
		"(a token, POST, no form) only in RenewRequestCredentials", names)
}

func sign(message *adapterproto.Message) (map[string]string, error) {
	params := message.OAuth
	method, known := signatureMethods[params.SignatureMethod]
	if !known {
		return nil, adapterproto.Unexpressible("gomodule/oauth1 has no signature method %q", params.SignatureMethod)
	}
	if params.Version != nil && *params.Version != "1.0" {
		return nil, adapterproto.Unexpressible("gomodule/oauth1 always sends oauth_version=\"1.0\"; cannot send %q", *params.Version)
	}
	if method != oauth.PLAINTEXT && (params.Nonce == nil || params.Timestamp == nil) {
		return nil, adapterproto.Unexpressible("gomodule/oauth1 generates oauth_nonce and oauth_timestamp for %s; it cannot omit them", params.SignatureMethod)
	}

	s := signing{
		client: oauth.Client{
			Credentials:     oauth.Credentials{Token: params.ConsumerKey, Secret: httpinput.Value(message.Secrets.ConsumerSecret)},
			SignatureMethod: method,
		},
		extra: params.Extra,
	}
	if params.Token != nil {
		s.credentials = &oauth.Credentials{Token: *params.Token, Secret: httpinput.Value(message.Secrets.TokenSecret)}
	}
	var err error
	if err = adapterproto.Library(func() error {
		if s.request, err = httpinput.NewRequest(message.Request); err != nil {
			return err
		}
		s.form, err = httpinput.PostForm(s.request)
		return err
	}); err != nil {
		return nil, err
	}
	if why := s.expressible(message.Request.Body); why != "" {
		return nil, adapterproto.Unexpressible("%s", why)
	}

	var signed, seen map[string]string
	var authorization, baseString string
	err = adapterproto.Library(func() error {
		if method == oauth.RSASHA1 {
			key, err := httpinput.RSAPrivateKey(message.Secrets.RSAPrivateKeyPEM)
			if err != nil {
				return err
			}
			s.client.PrivateKey = key
		}
		oauth.SetConformanceHook(func(generated map[string]string) {
			// Replace only what the library generated: it sends none for PLAINTEXT.
			if _, present := generated["oauth_nonce"]; present {
				generated["oauth_nonce"] = *params.Nonce
			}
			if _, present := generated["oauth_timestamp"]; present {
				generated["oauth_timestamp"] = *params.Timestamp
			}
			seen = make(map[string]string, len(generated))
			for name, value := range generated {
				seen[name] = value
			}
		})
		defer oauth.SetConformanceHook(nil)
		var err error
		if authorization, err = s.authorize(); err != nil {
			return err
		}
		form := s.form
		if len(s.extra) > 0 && s.credentials != nil {
			form = nil // RequestToken and RenewRequestCredentials sign no form
		}
		if signed, err = s.client.ConformanceSignedParams(s.credentials, s.request.Method, s.request.URL, form,
			s.extra["oauth_callback"], s.extra["oauth_verifier"], s.extra["oauth_session_handle"]); err != nil {
			return err
		}
		if method != oauth.PLAINTEXT {
			baseString = oauth.ConformanceBaseString(s.request.Method, s.request.URL, form, seen)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	trace := map[string]string{"signature": signed["oauth_signature"], "authorization_header": authorization}
	if method != oauth.PLAINTEXT {
		trace["signature_base_string"] = baseString
	}
	return trace, nil
}

func main() {
	if err := adapterproto.Serve(os.Stdin, os.Stdout, implementation(), adapterproto.Handlers{Sign: sign}); err != nil {
		fmt.Fprintln(os.Stderr, "adapter:", err)
		os.Exit(1)
	}
}
