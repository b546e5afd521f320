// Command capture_driver is gomodule/oauth1's capture driver (Debian
// golang-github-gomodule-oauth1-dev): oauth.Client.SetAuthorizationHeader on a request made with
// Go's net/http and sent by http.DefaultClient, the library's documented way for any method and
// body (docs/capture.md describes the environment). It exits 0 once a response arrived, 3 when
// the library cannot express the case.
package main

import (
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/gomodule/oauth1/oauth"
)

func cannotExpress(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(3)
}

func main() {
	env := os.Getenv
	methods := map[string]oauth.SignatureMethod{"HMAC-SHA1": oauth.HMACSHA1, "RSA-SHA1": oauth.RSASHA1, "PLAINTEXT": oauth.PLAINTEXT}
	method, known := methods[env("OAUTH1_SIGNATURE_METHOD")]
	if !known {
		cannotExpress("gomodule/oauth1 has no %s", env("OAUTH1_SIGNATURE_METHOD"))
	}
	if env("OAUTH1_REALM") != "" {
		cannotExpress("gomodule/oauth1 cannot send a realm")
	}
	client := oauth.Client{Credentials: oauth.Credentials{Token: env("OAUTH1_CONSUMER_KEY"), Secret: env("OAUTH1_CONSUMER_SECRET")}, SignatureMethod: method}
	if method == oauth.RSASHA1 {
		client.PrivateKey = rsaPrivateKey(env("OAUTH1_RSA_PRIVATE_KEY_FILE"))
	}
	var token *oauth.Credentials
	if _, ok := os.LookupEnv("OAUTH1_TOKEN"); ok {
		token = &oauth.Credentials{Token: env("OAUTH1_TOKEN"), Secret: env("OAUTH1_TOKEN_SECRET")}
	}
	var body []byte
	if path := env("OAUTH1_CAPTURE_BODY_FILE"); path != "" {
		var err error
		body, err = os.ReadFile(path)
		check(err)
	}
	contentType := env("OAUTH1_CAPTURE_CONTENT_TYPE")
	// A form body's parameters are signed: the library takes them as url.Values.
	var form url.Values
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "application/x-www-form-urlencoded") {
		var err error
		form, err = url.ParseQuery(string(body))
		check(err)
	}
	request, err := http.NewRequest(env("OAUTH1_CAPTURE_METHOD"), env("OAUTH1_CAPTURE_URL"), strings.NewReader(string(body)))
	if err != nil {
		cannotExpress("net/http refuses the URL: %v", err)
	}
	if body == nil {
		request.Body = nil
		request.ContentLength = 0
	}
	if contentType != "" {
		request.Header.Set("Content-Type", contentType)
	}
	check(client.SetAuthorizationHeader(request.Header, token, request.Method, request.URL, form))
	http.DefaultTransport.(*http.Transport).TLSClientConfig = tlsConfig(env("OAUTH1_CAPTURE_CA_FILE"))
	response, err := http.DefaultClient.Do(request)
	check(err)
	_, _ = io.Copy(io.Discard, response.Body)
}

// rsaPrivateKey reads a PKCS#1 or PKCS#8 PEM private key.
func rsaPrivateKey(path string) *rsa.PrivateKey {
	text, err := os.ReadFile(path)
	check(err)
	block, _ := pem.Decode(text)
	if block == nil {
		check(fmt.Errorf("%s holds no PEM block", path))
	}
	if key, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return key
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	check(err)
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		check(fmt.Errorf("%s is not an RSA key", path))
	}
	return rsaKey
}

func tlsConfig(caFile string) *tls.Config {
	if caFile == "" {
		return nil
	}
	pem, err := os.ReadFile(caFile)
	check(err)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &tls.Config{RootCAs: pool}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
