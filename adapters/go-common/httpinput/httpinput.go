// Package httpinput turns the inputs of adapter requests into the Go values OAuth libraries take:
// an *http.Request built with net/http (as a Go program sends it), its form parameters as net/http
// parses them, and an RSA private key parsed with crypto/x509.
package httpinput

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"oauth1conformance/adapterproto"
)

// NewRequest is http.NewRequest for the request, with its Content-Type header and body. Its errors
// are net/http's refusals of the input (a URL it cannot parse, a method it does not accept).
func NewRequest(request *adapterproto.HTTPRequest) (*http.Request, error) {
	var body io.Reader
	if request.Body != nil {
		body = strings.NewReader(*request.Body)
	}
	httpRequest, err := http.NewRequest(request.Method, request.URL, body)
	if err != nil {
		return nil, err
	}
	if request.ContentType != nil {
		httpRequest.Header.Set("Content-Type", *request.ContentType)
	}
	for _, header := range request.Headers {
		httpRequest.Header.Add(header[0], header[1])
	}
	return httpRequest, nil
}

// PostForm is the request's form body parameters as net/http reads them (Request.ParseForm: POST,
// PUT and PATCH with a application/x-www-form-urlencoded media type), the values a Go program hands
// to a signer. The query is not included: the signers read it from the URL themselves. Without a
// body there is nothing to parse (ParseForm would only report on the query).
func PostForm(httpRequest *http.Request) (url.Values, error) {
	if httpRequest.Body == nil || httpRequest.Body == http.NoBody {
		return url.Values{}, nil
	}
	if err := httpRequest.ParseForm(); err != nil {
		return nil, err
	}
	return httpRequest.PostForm, nil
}

// RSAPrivateKey parses a PKCS#1 or PKCS#8 PEM RSA private key.
func RSAPrivateKey(pemText *string) (*rsa.PrivateKey, error) {
	if pemText == nil {
		return nil, fmt.Errorf("no RSA private key given")
	}
	block, _ := pem.Decode([]byte(*pemText))
	if block == nil {
		return nil, fmt.Errorf("no PEM block in the RSA private key")
	}
	if key, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return key, nil
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("neither a PKCS#1 nor a PKCS#8 private key: %w", err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a PKCS#8 %T, not an RSA key", parsed)
	}
	return key, nil
}

// Recorder stands in for the network a library sends its signed request to: as an
// http.RoundTripper or as a client with a Do method, it keeps the request and answers 200 with
// Body, so that the library's call completes. Nothing is sent.
type Recorder struct {
	Body    string
	Request *http.Request
}

// RoundTrip records the request.
func (r *Recorder) RoundTrip(request *http.Request) (*http.Response, error) {
	r.Request = request
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{}, Request: request,
		Body: io.NopCloser(strings.NewReader(r.Body)), ContentLength: int64(len(r.Body))}, nil
}

// Do records the request.
func (r *Recorder) Do(request *http.Request) (*http.Response, error) { return r.RoundTrip(request) }

// Value is the string a nullable input stands for, "" for null.
func Value(value *string) string {
	if value == nil {
		return ""
	}
	return *value
}
