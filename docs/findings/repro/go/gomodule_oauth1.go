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
	"net/http"
	"net/url"
	"os"
	"strings"

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
	var table []entry
	if err := json.Unmarshal([]byte(findings), &table); err != nil {
		fmt.Fprintln(os.Stderr, "the table is not JSON:", err)
		os.Exit(2)
	}
	var chosen *entry
	var names []string
	for i := range table {
		names = append(names, table[i].Finding)
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
