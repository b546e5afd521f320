// The part the Go reproductions of live-client findings (clients/CLIENT/CASE, found by
// `oauth1-conformance capture`) share, built into each of them (build.sh): a loopback HTTP server
// on 127.0.0.1, port 0 (net/http/httptest), that records what arrives and answers a redirect case
// 307, and the comparison of what the library put on the wire with RFC 5849.
//
// A finding's table entry is the capture case (crates/conformance/src/live/capture/cases.rs) with
// the signature base string RFC 5849 gives for it and the one the dossier documents, written out
// with {port}, {nonce} and {timestamp} for the loopback server's port and the nonce and timestamp
// the library chose (read from the header it sent). Both are signed here with Go's crypto/hmac,
// never by the library, and compared with the signature that arrived. A redirect case compares the
// request re-sent after the 307 with the first: the documented finding is the first request's
// Authorization header sent again byte for byte; RFC 5849 wants a fresh nonce and a signature for
// the new URL (§3.3, §3.4.1.2).
package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// The capture's fixed test credentials (RFC 5849 §1.2's client and token): the HMAC-SHA1 key is
// consumer secret & token secret.
const (
	captureConsumerKey    = "dpf43f3p2l4k3l03"
	captureConsumerSecret = "kd94hf93k423kf44"
	captureToken          = "nnch734d00sl2jdk"
	captureTokenSecret    = "pfkkdhi9sl3r4s00"
	captureKey            = captureConsumerSecret + "&" + captureTokenSecret
)

// How long the whole reproduction may take, the server's reads included (the contract: ≤ 30 s).
const liveDeadline = 20 * time.Second

// A client that sends more than this to one case is looping; the server stops recording.
const maxArrivals = 8

// clientCase is one capture case as a finding's reproduction sends it.
type clientCase struct {
	id          string  // the dossier id, clients/CLIENT/CASE
	method      string  // the case's method
	target      string  // the path and query after http://127.0.0.1:PORT, as the case writes them
	contentType string  // "" for none
	body        *string // nil for none
	rfc         string  // RFC 5849's signature base string (for a redirect: of the request re-sent)
	documented  string  // the dossier's; "" for a redirect case
	redirect    bool    // answer the first request 307 to target's path + "/moved", query kept
}

// sender sends one request with the library and its documented HTTP stack, the way the client's
// capture driver (adapters/*/capture_driver) does.
type sender func(method, url, contentType string, body *string) error

// arrival is a request as the loopback server received it.
type arrival struct {
	target        string
	authorization string
}

type loopback struct {
	server   *httptest.Server
	mu       sync.Mutex
	arrivals []arrival
}

func startLoopback(c *clientCase) *loopback {
	l := &loopback{}
	path, query, _ := strings.Cut(c.target, "?")
	l.server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		l.mu.Lock()
		if len(l.arrivals) < maxArrivals {
			l.arrivals = append(l.arrivals, arrival{r.RequestURI, r.Header.Get("Authorization")})
		}
		first := len(l.arrivals) == 1
		l.mu.Unlock()
		if c.redirect && first {
			w.Header().Set("Location", l.server.URL+path+"/moved?"+query)
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	l.server.Config.ReadTimeout = 5 * time.Second
	l.server.Config.WriteTimeout = 5 * time.Second
	l.server.Start()
	return l
}

func (l *loopback) received() []arrival {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]arrival(nil), l.arrivals...)
}

// rfcEncode is RFC 5849 §3.6's percent-encoding.
func rfcEncode(value string) string {
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

func hmacSHA1(key, text string) string {
	mac := hmac.New(sha1.New, []byte(key))
	mac.Write([]byte(text))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// headerParams reads an Authorization header's parameters leniently (quoted or not, each value
// percent-decoded once).
func headerParams(header string) map[string]string {
	params := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(header, "OAuth "), ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		value = strings.Trim(value, `"`)
		if decoded, err := url.PathUnescape(value); err == nil {
			value = decoded
		}
		params[name] = value
	}
	return params
}

// filled is base with the port and the nonce and timestamp of params in place (a value is
// encoded twice in a base string: as a parameter, then as a part).
func filled(base, port string, params map[string]string) string {
	return strings.NewReplacer(
		"{port}", port,
		"{nonce}", rfcEncode(rfcEncode(params["oauth_nonce"])),
		"{timestamp}", rfcEncode(rfcEncode(params["oauth_timestamp"])),
	).Replace(base)
}

// runClientCase sends c with the library through send to a loopback server and judges what
// arrived; the exit status of the reproduction.
func runClientCase(library string, c *clientCase, send sender) int {
	timer := time.AfterFunc(liveDeadline, func() {
		fmt.Fprintf(os.Stderr, "no verdict after %s\n", liveDeadline)
		os.Exit(2)
	})
	defer timer.Stop()
	l := startLoopback(c)
	defer l.server.Close()
	port := l.server.URL[strings.LastIndexByte(l.server.URL, ':')+1:]
	fmt.Printf("finding:  %s (capture case %s %s)\n", c.id, c.method, l.server.URL+c.target)
	err := send(c.method, l.server.URL+c.target, c.contentType, c.body)
	arrivals := l.received()
	if len(arrivals) == 0 {
		fmt.Printf("changed: %s sent nothing (%v)\n", library, err)
		return 4
	}
	if c.redirect {
		return judgeRedirect(library, c, port, arrivals)
	}
	sent := headerParams(arrivals[0].authorization)
	fmt.Printf("sent:     %s\n          oauth_nonce %q, oauth_timestamp %q (the library's own; the values below are for them)\n",
		arrivals[0].target, sent["oauth_nonce"], sent["oauth_timestamp"])
	rfcBase := filled(c.rfc, port, sent)
	rfc, documented := hmacSHA1(captureKey, rfcBase), hmacSHA1(captureKey, filled(c.documented, port, sent))
	fmt.Printf("RFC 5849 signs: %s\n%s: %s\nRFC 5849: %s\n", rfcBase, library, sent["oauth_signature"], rfc)
	switch sent["oauth_signature"] {
	case rfc:
		fmt.Printf("fixed: %s now agrees with RFC 5849\n", library)
		return 3
	case documented:
		fmt.Printf("as documented: %s signs %s\n", library, filled(c.documented, port, sent))
		return 0
	}
	fmt.Printf("changed: the dossier documents %s (signed: %s)\n", documented, filled(c.documented, port, sent))
	return 4
}

// judgeRedirect compares the request re-sent after the 307 with the first.
func judgeRedirect(library string, c *clientCase, port string, arrivals []arrival) int {
	if len(arrivals) < 2 {
		fmt.Printf("changed: %s did not follow the 307 (nothing was re-sent)\n", library)
		return 4
	}
	first, again := arrivals[0], arrivals[1]
	sent := headerParams(again.authorization)
	rfcBase := filled(c.rfc, port, sent)
	rfc := hmacSHA1(captureKey, rfcBase)
	fmt.Printf("first:    %s\n          %s\nre-sent:  %s\n          %s\n", first.target, first.authorization, again.target, again.authorization)
	fmt.Printf("RFC 5849 signs the re-sent request (with its nonce and timestamp): %s\n%s: %s\nRFC 5849: %s, with a nonce other than %q\n",
		rfcBase, library, sent["oauth_signature"], rfc, headerParams(first.authorization)["oauth_nonce"])
	fresh := sent["oauth_nonce"] != headerParams(first.authorization)["oauth_nonce"]
	switch {
	case sent["oauth_signature"] == rfc && fresh:
		fmt.Printf("fixed: %s now signs the re-sent request for its new URL with a fresh nonce\n", library)
		return 3
	case again.authorization == first.authorization:
		fmt.Println("as documented: the re-sent request carries the first request's Authorization header, byte for byte")
		return 0
	}
	fmt.Println("changed: the re-sent header is neither the first one nor signed for the new URL with a fresh nonce")
	return 4
}
