// Standalone reproductions of the findings of github.com/mrjones/oauth (Debian
// golang-github-mrjones-oauth-dev):
//
//   - live/mrjones-oauth-provider/CASE, found by `oauth1-conformance probe` against the library's
//     Provider behind net/http (adapters/go-mrjones-oauth/server): the probe case's request as the
//     server receives it, written out as HTTP/1.1 and read with net/http's http.ReadRequest, is
//     handed to Provider.IsAuthorized with the ConsumerGetter the server has (the one NewProvider's
//     documentation asks for, built as the library's provider tests build it:
//     NewConsumer(key, secret, ServiceProvider{})). The Provider reads the clock, so the request
//     is signed now: its base string is written out below with {timestamp} for the clock, and Go's
//     crypto/hmac signs it (the consumer secret and an empty token secret: the server is
//     two-legged), never the library;
//   - mrjones-oauth/verifier-accepts-invalid, the verify row's finding, likewise with the verify
//     adapter's ConsumerGetter (ServiceProvider{SignQueryParams: true}) on the vector's request,
//     signed now with the signature the vector's source computes (checked first against the one it
//     publishes for the vector's timestamp);
//   - clients/mrjones-oauth/CASE, found by `oauth1-conformance capture`: the *http.Client of
//     Consumer.MakeHttpClient sends the capture case to a loopback server (live_client.go).
//   - mrjones-oauth/panics-on-parameter-without-equals and mrjones-oauth/truncates-timestamp, the
//     Provider's findings on hostile input (observed.json): see hostileFindings.
//
// Build: docs/findings/repro/go/build.sh. Usage: target/repros/mrjones_oauth FINDING (a dossier
// id). Prints the library's verdict (or signature) next to RFC 5849's; exits 0 while the library
// still behaves as the dossier documents, 3 when it behaves as RFC 5849 requires (retire the
// dossier), 4 otherwise.
package main

import (
	"bufio"
	"crypto"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mrjones/oauth"
)

// serverCase is one request handed to the Provider: a probe case, or the verify row's vector.
type serverCase struct {
	id         string // the dossier id
	rfc        string // RFC 5849's verdict, with the section
	documented string // "accept", or the error the library refuses with
	// The request as received, with {timestamp}, {signature} (percent-encoded) and {length}.
	request string
	base    string // the signature base string it is signed over, with {timestamp}
	// For a refusal the dossier explains (ignores-query): the base string the library verifies;
	// the request signed over it must be accepted for the finding to stand as documented.
	explained string
	key       string // the HMAC-SHA1 key it is signed with
	millis    bool   // the timestamp in milliseconds (time-milliseconds)
	twice     bool   // sent twice, the verdict of the second (replay-same-request)
	getter    oauth.ConsumerGetter
}

// The probe's credentials (adapters/servers-smoke/credentials.json, the matrix's); the server is
// two-legged, so the key is the consumer secret and an empty token secret (RFC 5849 §3.4.2).
const (
	probeConsumerKey    = "dpf43f3p2l4k3l03"
	probeConsumerSecret = "kd94hf93k423kf44"
	probeKey            = probeConsumerSecret + "&"
)

// serverGetter is the ConsumerGetter of adapters/go-mrjones-oauth/server.
func serverGetter(key string, header map[string]string) (*oauth.Consumer, error) {
	if key != probeConsumerKey {
		return nil, fmt.Errorf("unknown consumer key")
	}
	return oauth.NewConsumer(key, probeConsumerSecret, oauth.ServiceProvider{}), nil
}

// verifyGetter is the verify adapter's ConsumerGetter for the vector's consumer.
func verifyGetter(key string, header map[string]string) (*oauth.Consumer, error) {
	return oauth.NewCustomConsumer(key, "con-test-secret", crypto.SHA1, oauth.ServiceProvider{SignQueryParams: true}, nil), nil
}

// The probe's gate request (cargo xtask probe-matrix: GET /probe/photos?file=vacation.jpg&size=original
// on the server's port) with its protocol parameters in the Authorization header.
const (
	gateTarget = "/probe/photos?file=vacation.jpg&size=original"
	host       = "Host: 127.0.0.1:8084\r\n"
	header     = `Authorization: OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="p7Qz2LkW9xYb4RtN8sVm3HcJ", oauth_signature_method="HMAC-SHA1", oauth_timestamp="{timestamp}", oauth_version="1.0", oauth_signature="{signature}"` + "\r\n"
	form       = "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n"
	gateBase   = "GET&http%3A%2F%2F127.0.0.1%3A8084%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dp7Qz2LkW9xYb4RtN8sVm3HcJ%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0%26size%3Doriginal"
	// The form cases as the library verifies them with ServiceProvider{}: the body's parameters
	// and not the query's.
	formWithoutQuery  = "POST&http%3A%2F%2F127.0.0.1%3A8084%2Fprobe%2Fphotos&a%3D1%26b%3Dtwo%2520words%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dp7Qz2LkW9xYb4RtN8sVm3HcJ%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0"
	formBase          = "POST&http%3A%2F%2F127.0.0.1%3A8084%2Fprobe%2Fphotos&a%3D1%26b%3Dtwo%2520words%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dp7Qz2LkW9xYb4RtN8sVm3HcJ%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0%26size%3Doriginal"
	signatureMismatch = "signature did not match"
)

var serverCases = []serverCase{
	{
		id:         "live/mrjones-oauth-provider/malformed-missing-nonce",
		rfc:        "refuse (RFC 5849 §3.1: oauth_nonce is REQUIRED unless PLAINTEXT; §3.3)",
		documented: "accept",
		request:    "GET " + gateTarget + " HTTP/1.1\r\n" + host + `Authorization: OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature_method="HMAC-SHA1", oauth_timestamp="{timestamp}", oauth_version="1.0", oauth_signature="{signature}"` + "\r\n\r\n",
		base:       "GET&http%3A%2F%2F127.0.0.1%3A8084%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0%26size%3Doriginal",
	},
	{
		id:         "live/mrjones-oauth-provider/malformed-unknown-version",
		rfc:        `refuse (RFC 5849 §3.1: oauth_version, if present, MUST be "1.0"; §3.2)`,
		documented: "accept",
		request:    "GET " + gateTarget + " HTTP/1.1\r\n" + host + strings.Replace(header, `oauth_version="1.0"`, `oauth_version="2.0"`, 1) + "\r\n",
		base:       strings.Replace(gateBase, "oauth_version%3D1.0", "oauth_version%3D2.0", 1),
	},
	{
		id:         "live/mrjones-oauth-provider/replay-same-request",
		rfc:        "refuse the second (RFC 5849 §3.3: a nonce/timestamp/token combination is used once; §3.2)",
		documented: "accept",
		request:    "GET " + gateTarget + " HTTP/1.1\r\n" + host + header + "\r\n",
		base:       gateBase,
		twice:      true,
	},
	{
		id:         "live/mrjones-oauth-provider/time-milliseconds",
		rfc:        "refuse (RFC 5849 §3.3: the timestamp is in seconds; in milliseconds it is 1000 times the clock)",
		documented: "accept",
		request:    "GET " + gateTarget + " HTTP/1.1\r\n" + host + header + "\r\n",
		base:       gateBase,
		millis:     true,
	},
	{
		id:         "live/mrjones-oauth-provider/valid-form-body",
		rfc:        "accept (RFC 5849 §3.4.1.3.1: the query and the form body are signed)",
		documented: signatureMismatch,
		request:    "POST " + gateTarget + " HTTP/1.1\r\n" + host + header + form + "\r\na=1&b=two+words",
		base:       formBase,
		explained:  formWithoutQuery,
	},
	{
		id:         "live/mrjones-oauth-provider/valid-form-body-and-query",
		rfc:        "accept (RFC 5849 §3.4.1.3.1: the query and the form body are signed)",
		documented: signatureMismatch,
		request:    "POST " + gateTarget + "&x=1 HTTP/1.1\r\n" + host + header + form + "\r\na=1&b=two+words",
		base:       formBase + "%26x%3D1",
		explained:  formWithoutQuery,
	},
	{
		id:         "live/mrjones-oauth-provider/valid-protocol-parameters-in-body",
		rfc:        "accept (RFC 5849 §3.5.2, §3.4.1.3.1; §3.5 lets a server take the header only, but this one reads the body's)",
		documented: signatureMismatch,
		request:    "POST " + gateTarget + " HTTP/1.1\r\n" + host + form + "\r\na=1&b=two+words&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=p7Qz2LkW9xYb4RtN8sVm3HcJ&oauth_signature_method=HMAC-SHA1&oauth_timestamp={timestamp}&oauth_version=1.0&oauth_signature={signature}",
		base:       formBase,
		explained:  formWithoutQuery,
	},
	{
		id:         "live/mrjones-oauth-provider/valid-repeated-names",
		rfc:        "accept (RFC 5849 §3.4.1.3.2: a repeated name is signed, pairs with equal names sorted by value)",
		documented: "Must have exactly one value per param",
		request:    "GET " + gateTarget + "&a=2&a=1 HTTP/1.1\r\n" + host + header + "\r\n",
		base:       "GET&http%3A%2F%2F127.0.0.1%3A8084%2Fprobe%2Fphotos&a%3D1%26a%3D2%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dp7Qz2LkW9xYb4RtN8sVm3HcJ%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0%26size%3Doriginal",
	},
	{
		// Vector verify-lib-pyoauth2-iri-signature-on-uri-request (vectors/libraries-verify.json):
		// the signature python-oauth2 computes for the raw-IRI spelling of the URL, whose base string
		// URI is encoded once (%E2%80%99) where RFC 5849 encodes the URI's %-escapes again
		// (%25E2%2580%2599), presented with the percent-encoded URL.
		id:         "mrjones-oauth/verifier-accepts-invalid",
		rfc:        "refuse (RFC 5849 §3.2, §3.4.1.2: the base string URI http://sp.example.com/%E2%80%99 is encoded as a whole, %25E2%2580%2599; the signature is of the once-encoded spelling)",
		documented: "accept",
		request:    "GET /%E2%80%99 HTTP/1.1\r\nHost: sp.example.com\r\n" + `Authorization: OAuth oauth_body_hash="2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D", oauth_consumer_key="con-test-key", oauth_nonce="4572616e48616d6d65724c61686176", oauth_signature_method="HMAC-SHA1", oauth_timestamp="{timestamp}", oauth_token="tok-test-key", oauth_version="1.0", oauth_signature="{signature}"` + "\r\n\r\n",
		base:       iriBase,
		key:        "con-test-secret&",
		getter:     verifyGetter,
	},
}

// The base string python-oauth2 signs for the vector (github.com/joestump/python-oauth2 b94f69b,
// tests/test_oauth.py line 927), and the signature it publishes for timestamp 137131200.
const (
	iriBase      = "GET&http%3A%2F%2Fsp.example.com%2F%E2%80%99&oauth_body_hash%3D2jmj7l5rSw0yVb%252FvlWAYkK%252FYBwk%253D%26oauth_consumer_key%3Dcon-test-key%26oauth_nonce%3D4572616e48616d6d65724c61686176%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dtok-test-key%26oauth_version%3D1.0"
	iriPublished = "cMzvCkhvLL57+sTIxLITTHfkqZk="
)

// written is the case's request signed over signedBase with timestamp.
func (c *serverCase) written(signedBase, timestamp string) (raw, base string) {
	key := c.key
	if key == "" {
		key = probeKey
	}
	base = strings.ReplaceAll(signedBase, "{timestamp}", timestamp)
	raw = strings.NewReplacer("{timestamp}", timestamp, "{signature}", rfcEncode(hmacSHA1(key, base))).Replace(c.request)
	if _, body, ok := strings.Cut(raw, "\r\n\r\n"); ok {
		raw = strings.Replace(raw, "{length}", strconv.Itoa(len(body)), 1)
	}
	return raw, base
}

// authorized hands raw to the Provider as net/http's server would: the library's verdict (a
// panic is a refusal naming it).
func authorized(getter oauth.ConsumerGetter, raw string) (accepted bool, err error) {
	request, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "the written request does not parse:", err)
		os.Exit(2)
	}
	defer func() {
		if r := recover(); r != nil {
			accepted, err = false, fmt.Errorf("panic: %v", r)
		}
	}()
	key, err := oauth.NewProvider(getter).IsAuthorized(request)
	return err == nil && key != nil, err
}

func runServerCase(c *serverCase) int {
	if c.getter == nil {
		c.getter = serverGetter
	}
	if c.base == iriBase {
		if signed := hmacSHA1(c.key, strings.ReplaceAll(iriBase, "{timestamp}", "137131200")); signed != iriPublished {
			fmt.Fprintf(os.Stderr, "HMAC-SHA1 of the written base string is %s, not the published %s\n", signed, iriPublished)
			return 2
		}
	}
	now := time.Now().Unix()
	timestamp := strconv.FormatInt(now, 10)
	if c.millis {
		timestamp = strconv.FormatInt(now*1000, 10)
	}
	raw, base := c.written(c.base, timestamp)
	fmt.Printf("finding:  %s\nrequest (signed over %s):\n%s\n", c.id, base, raw)
	accepted, err := authorized(c.getter, raw)
	if c.twice {
		if !accepted {
			fmt.Printf("changed: the first sending was refused (%v)\n", err)
			return 4
		}
		fmt.Println("first sending: accepted")
		accepted, err = authorized(c.getter, raw)
	}
	verdict := "accept"
	if !accepted {
		verdict = fmt.Sprintf("refuse (%v)", err)
	}
	fmt.Printf("mrjones/oauth: %s\nRFC 5849: %s\n", verdict, c.rfc)
	rfcAccepts := strings.HasPrefix(c.rfc, "accept")
	switch {
	case accepted == rfcAccepts:
		fmt.Println("fixed: mrjones/oauth now agrees with RFC 5849")
		return 3
	case accepted && c.documented == "accept":
		return 0
	case !accepted && err != nil && strings.Contains(err.Error(), c.documented):
		return explainedRefusal(c, timestamp)
	}
	fmt.Printf("changed: the dossier documents %s\n", c.documented)
	return 4
}

// explainedRefusal checks the dossier's explanation of a refusal, where it gives one: the same
// request signed over the base string the library verifies is accepted.
func explainedRefusal(c *serverCase, timestamp string) int {
	if c.explained == "" {
		return 0
	}
	raw, base := c.written(c.explained, timestamp)
	if accepted, err := authorized(c.getter, raw); !accepted {
		fmt.Printf("changed: signed over %s (the query left out), it is refused too (%v)\n", base, err)
		return 4
	}
	fmt.Printf("as documented: signed over %s (the query left out), it is accepted\n", base)
	return 0
}

// hostileFindings are the Provider's findings on hostile input (docs/findings/observed.json):
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
// Each is an *http.Request handed to Provider.IsAuthorized, used as its documentation shows:
// oauth.NewProvider(getter), the getter returning oauth.NewConsumer(key, secret,
// oauth.ServiceProvider{}) (serverGetter). Exits 0 while the Provider behaves as documented, 3
// when it refuses the request with an error (retire the dossier), 4 otherwise.
var hostileFindings = []struct {
	id  string
	run func() int
}{
	{"mrjones-oauth/panics-on-parameter-without-equals", panicsOnParameterWithoutEquals},
	{"mrjones-oauth/truncates-timestamp", truncatesTimestamp},
}

// hostileResource is the URL of the hostile findings' requests.
const hostileResource = "http://127.0.0.1/photos"

// isAuthorized reports the Provider's verdict, or the panic it raised.
func isAuthorized(request *http.Request) (verdict string, panicked bool) {
	defer func() {
		if recovered := recover(); recovered != nil {
			verdict, panicked = fmt.Sprintf("panic: %v", recovered), true
		}
	}()
	if _, err := oauth.NewProvider(serverGetter).IsAuthorized(request); err != nil {
		return "refused: " + err.Error(), false
	}
	return "accepted", false
}

func panicsOnParameterWithoutEquals() int {
	request, err := http.NewRequest("GET", hostileResource, nil)
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
	request, err := http.NewRequest("GET", hostileResource, nil)
	if err != nil {
		return nil, err
	}
	request.Header.Set("Authorization", fmt.Sprintf(`OAuth oauth_consumer_key="%s", oauth_nonce="chapoH", `+
		`oauth_signature_method="HMAC-SHA1", oauth_timestamp="%s", oauth_version="1.0", oauth_signature="%s"`,
		probeConsumerKey, timestamp, rfcEncode(hmacSHA1(probeKey, base))))
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
	var names []string
	for i := range serverCases {
		names = append(names, serverCases[i].id)
		if len(os.Args) == 2 && serverCases[i].id == os.Args[1] {
			os.Exit(runServerCase(&serverCases[i]))
		}
	}
	for i := range clientCases {
		names = append(names, clientCases[i].id)
		if len(os.Args) == 2 && clientCases[i].id == os.Args[1] {
			os.Exit(runClientCase("mrjones/oauth", &clientCases[i], send))
		}
	}
	for _, f := range hostileFindings {
		names = append(names, f.id)
		if len(os.Args) == 2 && f.id == os.Args[1] {
			os.Exit(f.run())
		}
	}
	fmt.Fprintf(os.Stderr, "usage: %s FINDING (one of: %s)\n", os.Args[0], strings.Join(names, ", "))
	os.Exit(2)
}

// send is the capture driver's: the *http.Client of Consumer.MakeHttpClient with the token
// credentials, over a base *http.Client (its timeout bounds the reproduction's wait).
func send(method, url, contentType string, body *string) error {
	base := &http.Client{Timeout: 10 * time.Second}
	consumer := oauth.NewCustomConsumer(captureConsumerKey, captureConsumerSecret, crypto.SHA1, oauth.ServiceProvider{}, base)
	client, err := consumer.MakeHttpClient(&oauth.AccessToken{Token: captureToken, Secret: captureTokenSecret})
	if err != nil {
		return err
	}
	var reader io.Reader
	if body != nil {
		reader = strings.NewReader(*body)
	}
	request, err := http.NewRequest(method, url, reader)
	if err != nil {
		return err
	}
	if contentType != "" {
		request.Header.Set("Content-Type", contentType)
	}
	response, err := client.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	_, err = io.Copy(io.Discard, response.Body)
	return err
}

func text(s string) *string { return &s }

// The capture cases: base strings with {port}, {nonce} and {timestamp} (live_client.go). The
// library's protocol parameters, sorted: oauth_consumer_key, oauth_nonce, oauth_signature_method,
// oauth_timestamp, oauth_token, oauth_version.
const (
	mrjonesURI   = "http%3A%2F%2F127.0.0.1%3A{port}%2Fmrjones-oauth%2F"
	mrjonesOAuth = "oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
)

var clientCases = []clientCase{
	{
		// names-encoded-once: a name is encoded once, with its value, as "name=value" (RFC 5849
		// §3.4.1.3.2 encodes names and values, then the joined string again, §3.4.1.1).
		id: "clients/mrjones-oauth/brackets-hash", method: "GET", target: "/mrjones-oauth/brackets-hash?a[b]=c&a[d]=e",
		rfc:        "GET&" + mrjonesURI + "brackets-hash&a%255Bb%255D%3Dc%26a%255Bd%255D%3De%26" + mrjonesOAuth,
		documented: "GET&" + mrjonesURI + "brackets-hash&a%5Bb%5D%3Dc%26a%5Bd%5D%3De%26" + mrjonesOAuth,
	},
	{
		// ignores-query: for a form body the query is not signed (§3.4.1.3.1 signs both).
		id: "clients/mrjones-oauth/form-and-query", method: "POST", target: "/mrjones-oauth/form-and-query?q=1",
		contentType: "application/x-www-form-urlencoded", body: text("b=2"),
		rfc:        "POST&" + mrjonesURI + "form-and-query&b%3D2%26" + mrjonesOAuth + "%26q%3D1",
		documented: "POST&" + mrjonesURI + "form-and-query&b%3D2%26" + mrjonesOAuth,
	},
	{
		// ignores-form-body: a form content type with a charset parameter is not taken for a form.
		id: "clients/mrjones-oauth/form-charset", method: "POST", target: "/mrjones-oauth/form-charset",
		contentType: "application/x-www-form-urlencoded; charset=utf-8", body: text("a=1&n=caf%C3%A9"),
		rfc:        "POST&" + mrjonesURI + "form-charset&a%3D1%26n%3Dcaf%25C3%25A9%26" + mrjonesOAuth,
		documented: "POST&" + mrjonesURI + "form-charset&" + mrjonesOAuth,
	},
	{
		// decodes-path-escapes (§3.4.1.2 keeps the path as sent; §3.4.1.1 encodes it again).
		id: "clients/mrjones-oauth/path-non-ascii", method: "GET", target: "/mrjones-oauth/path-non-ascii/caf%C3%A9",
		rfc:        "GET&" + mrjonesURI + "path-non-ascii%2Fcaf%25C3%25A9&" + mrjonesOAuth,
		documented: "GET&" + mrjonesURI + "path-non-ascii%2Fcaf%C3%A9&" + mrjonesOAuth,
	},
	{
		id: "clients/mrjones-oauth/path-slash-encoded", method: "GET", target: "/mrjones-oauth/path-slash-encoded/a%2Fb",
		rfc:        "GET&" + mrjonesURI + "path-slash-encoded%2Fa%252Fb&" + mrjonesOAuth,
		documented: "GET&" + mrjonesURI + "path-slash-encoded%2Fa%2Fb&" + mrjonesOAuth,
	},
	{
		id: "clients/mrjones-oauth/path-space", method: "GET", target: "/mrjones-oauth/path-space/a%20b",
		rfc:        "GET&" + mrjonesURI + "path-space%2Fa%2520b&" + mrjonesOAuth,
		documented: "GET&" + mrjonesURI + "path-space%2Fa%20b&" + mrjonesOAuth,
	},
	{
		// decodes-unreserved-path-escapes: %7E signed as ~.
		id: "clients/mrjones-oauth/path-tilde-encoded", method: "GET", target: "/mrjones-oauth/path-tilde-encoded/%7Euser",
		rfc:        "GET&" + mrjonesURI + "path-tilde-encoded%2F%257Euser&" + mrjonesOAuth,
		documented: "GET&" + mrjonesURI + "path-tilde-encoded%2F~user&" + mrjonesOAuth,
	},
	{
		// ignores-query: the library reads the query with net/url's URL.Query, which drops a pair
		// holding a ';' (Go 1.17 and later), so q is not signed.
		id: "clients/mrjones-oauth/query-reserved-raw", method: "GET", target: "/mrjones-oauth/query-reserved-raw?q=a:b/c?d@e!$'()*,;f",
		rfc:        "GET&" + mrjonesURI + "query-reserved-raw&" + mrjonesOAuth + "%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C%253Bf",
		documented: "GET&" + mrjonesURI + "query-reserved-raw&" + mrjonesOAuth,
	},
	{
		id: "clients/mrjones-oauth/redirect-307", method: "GET", target: "/mrjones-oauth/redirect-307?x=1", redirect: true,
		rfc: "GET&" + mrjonesURI + "redirect-307%2Fmoved&" + mrjonesOAuth + "%26x%3D1",
	},
}
