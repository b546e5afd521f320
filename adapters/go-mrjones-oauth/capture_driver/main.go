// Command capture_driver is mrjones/oauth's capture driver (Debian
// golang-github-mrjones-oauth-dev): the *http.Client of Consumer.MakeHttpClient, which signs
// every request it sends, used as Go's net/http client, as the library's documentation says
// (docs/capture.md describes the environment). It exits 0 once a response arrived, 3 when the
// library cannot express the case.
package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/mrjones/oauth"
)

func cannotExpress(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(3)
}

func main() {
	env := os.Getenv
	if env("OAUTH1_REALM") != "" {
		cannotExpress("mrjones/oauth cannot send a realm")
	}
	hashes := map[string]crypto.Hash{"HMAC-SHA1": crypto.SHA1, "HMAC-SHA256": crypto.SHA256, "RSA-SHA1": crypto.SHA1, "RSA-SHA256": crypto.SHA256}
	name := env("OAUTH1_SIGNATURE_METHOD")
	hash, known := hashes[name]
	if !known {
		cannotExpress("mrjones/oauth has no %s", name)
	}
	transport := &http.Transport{TLSClientConfig: tlsConfig(env("OAUTH1_CAPTURE_CA_FILE"))}
	base := &http.Client{Transport: transport}
	var consumer *oauth.Consumer
	if strings.HasPrefix(name, "RSA-") {
		consumer = oauth.NewCustomRSAConsumer(env("OAUTH1_CONSUMER_KEY"), rsaPrivateKey(env("OAUTH1_RSA_PRIVATE_KEY_FILE")), hash, oauth.ServiceProvider{}, base)
	} else {
		consumer = oauth.NewCustomConsumer(env("OAUTH1_CONSUMER_KEY"), env("OAUTH1_CONSUMER_SECRET"), hash, oauth.ServiceProvider{}, base)
	}
	// Two-legged: the library has no way to leave oauth_token out; an empty token is sent.
	token := &oauth.AccessToken{Token: env("OAUTH1_TOKEN"), Secret: env("OAUTH1_TOKEN_SECRET")}
	client, err := consumer.MakeHttpClient(token)
	check(err)
	var body io.Reader
	if path := env("OAUTH1_CAPTURE_BODY_FILE"); path != "" {
		text, err := os.ReadFile(path)
		check(err)
		body = strings.NewReader(string(text))
	}
	request, err := http.NewRequest(env("OAUTH1_CAPTURE_METHOD"), env("OAUTH1_CAPTURE_URL"), body)
	if err != nil {
		cannotExpress("net/http refuses the URL: %v", err)
	}
	if contentType := env("OAUTH1_CAPTURE_CONTENT_TYPE"); contentType != "" {
		request.Header.Set("Content-Type", contentType)
	}
	response, err := client.Do(request)
	if err != nil && strings.Contains(err.Error(), "Must have exactly one value per param") {
		// The library's signer refuses a repeated parameter name before sending anything.
		cannotExpress("mrjones/oauth refuses the request: %v", err)
	}
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
