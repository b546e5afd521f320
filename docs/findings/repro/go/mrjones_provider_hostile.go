// Standalone reproduction of two findings of mrjones/oauth's Provider (Debian
// golang-github-mrjones-oauth-dev), used as its documentation shows: oauth.NewProvider(getter)
// and Provider.IsAuthorized(request), the getter returning oauth.NewConsumer(key, secret,
// oauth.ServiceProvider{}).
//
//	panics-on-parameter-without-equals: a header parameter without '=' (`OAuth oauth_consumer_key`)
//	  panics with an index out of range (provider.go, vals[1]): a server without a recover
//	  handler dies on one request. RFC 5849 section 3.5.1 makes every parameter name="value"; a
//	  malformed header is refused (section 3.2), not a crash.
//	truncates-timestamp: the timestamp is cut to its first 10 characters before the clock check
//	  ("Make sure timestamp is no more than 10 digits"), so now followed by six more digits, a
//	  time about 50 million years ahead, passes the 300 s window. The request is signed in this
//	  program (HMAC-SHA1 of the RFC 5849 section 3.4.1 base string written out below), so only
//	  the timestamp is wrong. RFC 5849 section 3.3: the timestamp is a number of seconds since
//	  1970; the server may refuse one outside its window, and this one is.
//
// Usage: mrjones_provider_hostile FINDING. Exits 0 while the Provider behaves as documented, 3 when
// it refuses the request with an error (retire the dossier), 4 otherwise.
package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mrjones/oauth"
)

const (
	consumerKey    = "dpf43f3p2l4k3l03"
	consumerSecret = "kd94hf93k423kf44"
	resource       = "http://127.0.0.1/photos"
)

func provider() *oauth.Provider {
	return oauth.NewProvider(func(key string, header map[string]string) (*oauth.Consumer, error) {
		return oauth.NewConsumer(key, consumerSecret, oauth.ServiceProvider{}), nil
	})
}

// isAuthorized reports the Provider's verdict, or the panic it raised.
func isAuthorized(request *http.Request) (verdict string, panicked bool) {
	defer func() {
		if recovered := recover(); recovered != nil {
			verdict, panicked = fmt.Sprintf("panic: %v", recovered), true
		}
	}()
	if _, err := provider().IsAuthorized(request); err != nil {
		return "refused: " + err.Error(), false
	}
	return "accepted", false
}

func panicsOnParameterWithoutEquals() int {
	request, err := http.NewRequest("GET", resource, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	request.Header.Set("Authorization", "OAuth oauth_consumer_key")
	verdict, panicked := isAuthorized(request)
	fmt.Println("finding:   mrjones-oauth/panics-on-parameter-without-equals (Authorization: OAuth oauth_consumer_key)")
	fmt.Println("Provider: ", verdict)
	fmt.Println("RFC 5849:  refused as malformed (sections 3.5.1, 3.2)")
	switch {
	case panicked:
		return 0
	case verdict != "accepted":
		return 3
	default:
		return 4
	}
}

// signedRequest is a GET of the resource with the protocol parameters in the header, signed with
// HMAC-SHA1 over the RFC 5849 section 3.4.1 base string written out here (two-legged: key "cs&").
func signedRequest(timestamp string) (*http.Request, error) {
	base := "GET&http%3A%2F%2F127.0.0.1%2Fphotos&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH" +
		"%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D" + timestamp + "%26oauth_version%3D1.0"
	mac := hmac.New(sha1.New, []byte(consumerSecret+"&"))
	mac.Write([]byte(base))
	signature := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	request, err := http.NewRequest("GET", resource, nil)
	if err != nil {
		return nil, err
	}
	request.Header.Set("Authorization", fmt.Sprintf(`OAuth oauth_consumer_key="%s", oauth_nonce="chapoH", `+
		`oauth_signature_method="HMAC-SHA1", oauth_timestamp="%s", oauth_version="1.0", oauth_signature="%s"`,
		consumerKey, timestamp, url.QueryEscape(signature)))
	return request, nil
}

func truncatesTimestamp() int {
	now := strconv.FormatInt(time.Now().Unix(), 10)
	control, err := signedRequest(now)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// The same request with the current time must pass, or the signing here is what is wrong.
	if verdict, _ := isAuthorized(control); verdict != "accepted" {
		fmt.Println("control request (timestamp now) not accepted:", verdict)
		return 4
	}
	timestamp := now + "999999"
	request, err := signedRequest(timestamp)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	verdict, _ := isAuthorized(request)
	fmt.Printf("finding:   mrjones-oauth/truncates-timestamp (oauth_timestamp=%q, signed correctly)\n", timestamp)
	fmt.Println("Provider: ", verdict)
	fmt.Println("RFC 5849:  refused: the timestamp is far outside the server's window (section 3.3)")
	switch {
	case verdict == "accepted":
		return 0
	case strings.HasPrefix(verdict, "refused"):
		return 3
	default:
		return 4
	}
}

func main() {
	findings := map[string]func() int{
		"panics-on-parameter-without-equals": panicsOnParameterWithoutEquals,
		"truncates-timestamp":                truncatesTimestamp,
	}
	if len(os.Args) != 2 || findings[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: mrjones_provider_hostile panics-on-parameter-without-equals|truncates-timestamp")
		os.Exit(2)
	}
	os.Exit(findings[os.Args[1]]())
}
