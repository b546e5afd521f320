// Standalone reproductions of the findings of github.com/gomodule/oauth1 (Debian
// golang-github-gomodule-oauth1-dev, docs/findings/gomodule-oauth1/): an oauth.Client with the
// consumer's Credentials and HMACSHA1, then Client.SetAuthorizationHeader(header, token
// credentials, method, URL, form) as its documentation signs a request (the form body parsed by
// net/http's Request.ParseForm into form), on each finding's smallest input.
//
// The library draws its nonce and timestamp itself and takes neither (only its own tests reach
// the hook that fixes them), so RFC 5849's signature and the documented one are computed here for
// the nonce and timestamp it sent: each finding's table entry gives, for both, the signature base
// string and the HMAC-SHA1 key with the entry's nonce and timestamp; the library's replace them
// and Go's crypto/hmac signs both, compared with the signature in the library's header.
//
// The live-client findings (clients/gomodule-oauth1/CASE, found by `oauth1-conformance capture`)
// are sent as the library's capture driver sends them (SetAuthorizationHeader, then net/http's
// client) to a loopback server (live_client.go), which compares what arrived with RFC 5849.
//
// Build: docs/findings/repro/go/build.sh. Usage: target/repros/gomodule_oauth1 FINDING. Exits 0
// while the library still sends the value the dossier documents, 3 when it sends RFC 5849's
// (retire the dossier), 4 otherwise.
package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gomodule/oauth1/oauth"
)

// Per finding: the case (id and file), its request, the stage compared, and for RFC 5849 ("rfc")
// and for the value the dossier documents ("documented") the signature base string and HMAC-SHA1
// key with the case's nonce and timestamp.
const findings = `[
 {
  "finding": "ignores-form-body",
  "vector": "generated:1481179147 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com%2F&a%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
   "key": "&"
  },
  "documented": {
   "base_string": "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
   "key": "&"
  }
 },
 {
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/p?a=1&oauth_signature=prev",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": {
   "base_string": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  },
  "documented": {
   "base_string": "GET&https%3A%2F%2Fapi.example.com%2Fp&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature%3Dprev%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00"
  }
 }
]`

type signed struct {
	BaseString string `json:"base_string"`
	Key        string `json:"key"`
}

type entry struct {
	Finding string `json:"finding"`
	Vector  string `json:"vector"`
	Stage   string `json:"stage"`
	Request struct {
		Method      string  `json:"method"`
		URL         string  `json:"url"`
		ContentType *string `json:"content_type"`
		Body        *string `json:"body"`
	} `json:"request"`
	OAuth struct {
		ConsumerKey string  `json:"consumer_key"`
		Token       *string `json:"token"`
		Nonce       string  `json:"nonce"`
		Timestamp   string  `json:"timestamp"`
	} `json:"oauth"`
	Secrets struct {
		ConsumerSecret *string `json:"consumer_secret"`
		TokenSecret    *string `json:"token_secret"`
	} `json:"secrets"`
	RFC        signed `json:"rfc"`
	Documented signed `json:"documented"`
}

func text(value *string) string {
	if value == nil {
		return ""
	}
	return *value
}

// sign drives the library as its documentation does and returns the protocol parameters of the
// Authorization header it wrote.
func sign(e *entry) (map[string]string, error) {
	var body *strings.Reader
	if e.Request.Body != nil {
		body = strings.NewReader(*e.Request.Body)
	} else {
		body = strings.NewReader("")
	}
	request, err := http.NewRequest(e.Request.Method, e.Request.URL, body)
	if err != nil {
		return nil, err
	}
	if e.Request.ContentType != nil {
		request.Header.Set("Content-Type", *e.Request.ContentType)
	}
	form := url.Values{}
	if e.Request.Body != nil {
		if err := request.ParseForm(); err != nil {
			return nil, err
		}
		form = request.PostForm
	}
	client := oauth.Client{
		Credentials:     oauth.Credentials{Token: e.OAuth.ConsumerKey, Secret: text(e.Secrets.ConsumerSecret)},
		SignatureMethod: oauth.HMACSHA1,
	}
	var token *oauth.Credentials
	if e.OAuth.Token != nil {
		token = &oauth.Credentials{Token: *e.OAuth.Token, Secret: text(e.Secrets.TokenSecret)}
	}
	header := http.Header{}
	if err := client.SetAuthorizationHeader(header, token, request.Method, request.URL, form); err != nil {
		return nil, err
	}
	params := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(header.Get("Authorization"), "OAuth "), ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		value, _ = url.PathUnescape(strings.Trim(value, `"`))
		params[name] = value
	}
	return params, nil
}

// encode is RFC 5849 §3.6's percent-encoding.
func encode(value string) string {
	var out strings.Builder
	for _, b := range []byte(value) {
		if b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || strings.IndexByte("-._~", b) >= 0 {
			out.WriteByte(b)
		} else {
			fmt.Fprintf(&out, "%%%02X", b)
		}
	}
	return out.String()
}

// expected signs s's base string with the library's nonce and timestamp in place of the entry's
// (in a base string a value is encoded twice: as a parameter, then as a part).
func expected(e *entry, s signed, sent map[string]string) string {
	base := s.BaseString
	for name, ours := range map[string]string{"oauth_nonce": e.OAuth.Nonce, "oauth_timestamp": e.OAuth.Timestamp} {
		base = strings.ReplaceAll(base, name+"%3D"+encode(encode(ours)), name+"%3D"+encode(encode(sent[name])))
	}
	mac := hmac.New(sha1.New, []byte(s.Key))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func main() {
	for i := range clientCases {
		if len(os.Args) == 2 && clientCases[i].id == os.Args[1] {
			os.Exit(runClientCase("gomodule/oauth1", &clientCases[i], send))
		}
	}
	var table []entry
	if err := json.Unmarshal([]byte(findings), &table); err != nil {
		fmt.Fprintln(os.Stderr, "the table is not JSON:", err)
		os.Exit(2)
	}
	var chosen *entry
	var names []string
	for i := range table {
		names = append(names, table[i].Finding)
		if i == len(table)-1 {
			for j := range clientCases {
				names = append(names, clientCases[j].id)
			}
		}
		if len(os.Args) == 2 && table[i].Finding == os.Args[1] {
			chosen = &table[i]
		}
	}
	if chosen == nil {
		fmt.Fprintf(os.Stderr, "usage: %s FINDING (one of: %s)\n", os.Args[0], strings.Join(names, ", "))
		os.Exit(2)
	}
	sent, err := sign(chosen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "the library refused the request:", err)
		os.Exit(2)
	}
	rfc, documented, value := expected(chosen, chosen.RFC, sent), expected(chosen, chosen.Documented, sent), sent["oauth_signature"]
	fmt.Printf("finding:  %s (case %s, %s)\n", chosen.Finding, chosen.Vector, chosen.Stage)
	fmt.Printf("sent:     oauth_nonce %q, oauth_timestamp %q (the library's own; the values below are for them)\n", sent["oauth_nonce"], sent["oauth_timestamp"])
	fmt.Printf("gomodule/oauth1: %s\nRFC 5849: %s\n", value, rfc)
	switch value {
	case rfc:
		fmt.Println("fixed: gomodule/oauth1 now agrees with RFC 5849")
		os.Exit(3)
	case documented:
	default:
		fmt.Printf("changed: the dossier documents %s\n", documented)
		os.Exit(4)
	}
}

// send is the capture driver's (adapters/go-gomodule-oauth1/capture_driver): the token
// credentials, a form body's parameters as url.Values, Client.SetAuthorizationHeader on the
// request's header, then net/http's client (its timeout bounds the reproduction's wait).
func send(method, address, contentType string, body *string) error {
	client := oauth.Client{
		Credentials:     oauth.Credentials{Token: captureConsumerKey, Secret: captureConsumerSecret},
		SignatureMethod: oauth.HMACSHA1,
	}
	token := &oauth.Credentials{Token: captureToken, Secret: captureTokenSecret}
	var form url.Values
	reader := strings.NewReader("")
	if body != nil {
		reader = strings.NewReader(*body)
		if strings.HasPrefix(strings.ToLower(contentType), "application/x-www-form-urlencoded") {
			var err error
			if form, err = url.ParseQuery(*body); err != nil {
				return err
			}
		}
	}
	request, err := http.NewRequest(method, address, reader)
	if err != nil {
		return err
	}
	if body == nil {
		request.Body, request.ContentLength = nil, 0
	}
	if contentType != "" {
		request.Header.Set("Content-Type", contentType)
	}
	if err := client.SetAuthorizationHeader(request.Header, token, request.Method, request.URL, form); err != nil {
		return err
	}
	response, err := (&http.Client{Timeout: 10 * time.Second}).Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	_, err = io.Copy(io.Discard, response.Body)
	return err
}

// The capture cases: base strings with {port}, {nonce} and {timestamp} (live_client.go). The
// library's protocol parameters, sorted: oauth_consumer_key, oauth_nonce, oauth_signature_method,
// oauth_timestamp, oauth_token, oauth_version.
const (
	gomoduleURI   = "http%3A%2F%2F127.0.0.1%3A{port}%2Fgomodule-oauth1%2F"
	gomoduleOAuth = "oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
)

var clientCases = []clientCase{
	{
		// keeps-query-in-base-string-uri: a URL ending in "?" is signed with the "?" in the base
		// string URI (RFC 5849 §3.4.1.2 excludes the query, and an empty query is no parameter).
		id: "clients/gomodule-oauth1/query-empty-question-mark", method: "GET", target: "/gomodule-oauth1/query-empty-question-mark?",
		rfc:        "GET&" + gomoduleURI + "query-empty-question-mark&" + gomoduleOAuth,
		documented: "GET&" + gomoduleURI + "query-empty-question-mark%3F&" + gomoduleOAuth,
	},
	{
		// ignores-query: the library reads the query with net/url's URL.Query, which drops a pair
		// holding a ';' (Go 1.17 and later), so q is not signed (§3.4.1.3.1 signs it).
		id: "clients/gomodule-oauth1/query-reserved-raw", method: "GET", target: "/gomodule-oauth1/query-reserved-raw?q=a:b/c?d@e!$'()*,;f",
		rfc:        "GET&" + gomoduleURI + "query-reserved-raw&" + gomoduleOAuth + "%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C%253Bf",
		documented: "GET&" + gomoduleURI + "query-reserved-raw&" + gomoduleOAuth,
	},
	{
		id: "clients/gomodule-oauth1/redirect-307", method: "GET", target: "/gomodule-oauth1/redirect-307?x=1", redirect: true,
		rfc: "GET&" + gomoduleURI + "redirect-307%2Fmoved&" + gomoduleOAuth + "%26x%3D1",
	},
}
