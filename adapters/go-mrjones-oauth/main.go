// Command adapter puts github.com/mrjones/oauth (Debian golang-github-mrjones-oauth-dev) behind the
// adapter protocol (adapters/PROTOCOL.md), row `mrjones-oauth`.
//
// sign: Consumer.MakeHttpClient(token).Do(request); the library's RoundTripper signs the request and
// hands it to Consumer.HttpClient, which here records it instead of sending it.
//
// verify: Provider.IsAuthorized(request).
//
// The clock, nonce generator and signer are reached through hooks/export.go, added to the build
// copy (see README.md).
package main

import (
	"crypto"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/mrjones/oauth"

	"oauth1conformance/adapterproto"
	"oauth1conformance/httpinput"
)

// The hash of each signature method the library builds (HMACSigner / RSASigner with
// HASH_METHOD_MAP); it has no PLAINTEXT.
var hmacMethods = map[string]crypto.Hash{"HMAC-SHA1": crypto.SHA1, "HMAC-SHA256": crypto.SHA256, "HMAC-SHA512": crypto.SHA512}
var rsaMethods = map[string]crypto.Hash{"RSA-SHA1": crypto.SHA1, "RSA-SHA256": crypto.SHA256, "RSA-SHA512": crypto.SHA512}

// The versions built against, set by adapters/go-common/gopath-build.sh (-ldflags -X).
var builtWith = "unknown (not built by gopath-build.sh)"

func implementation() adapterproto.Implementation {
	return adapterproto.GoImplementation("mrjones-oauth", builtWith, adapterproto.Capabilities{
		Operations:       []string{"sign", "verify"},
		SignatureMethods: []string{"HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "RSA-SHA1", "RSA-SHA256", "RSA-SHA512"},
		Stages:           []string{"signature_base_string", "signature", "authorization_header"},
		CanOmitVersion:   false,
		BodyHash:         true,
		// The nonce comes from an int63 generator (see the notes).
		Limits: map[string]interface{}{"numeric_nonce_only": true},
		Notes: "sign: oauth.NewCustomConsumer(key, secret, hash, ServiceProvider{BodyHash: compute_body_hash}, nil) or " +
			"NewCustomRSAConsumer(key, private key parsed with crypto/x509, hash, ...), AdditionalParams = extra, " +
			"HttpClient = a recorder, then MakeHttpClient(&AccessToken{Token, Secret}).Do(http.NewRequest(method, url, " +
			"body) with the Content-Type header); authorization_header is the Authorization header of the request the " +
			"library's RoundTripper hands to Consumer.HttpClient (nothing is sent). The clock and nonce generator are " +
			"replaced and the signer wrapped through an added file in the build copy: signature_base_string is the " +
			"message the library passes to its signer's Sign, signature what Sign returns. The nonce comes from an int63 " +
			"generator, so only nonces that are canonical decimal int63 values can be sent (others: unsupported), " +
			"likewise timestamps. The library always sends oauth_version=1.0, drops an empty token, has no realm and no " +
			"PLAINTEXT, signs the query only when the Content-Type is not exactly application/x-www-form-urlencoded " +
			"(else the body instead) and refuses duplicated parameter names. verify: oauth.NewProvider(getter) with its " +
			"clock set to `now` (added file), getter returning NewCustomConsumer(key, consumer secret, hash of " +
			"oauth_signature_method, ServiceProvider{SignQueryParams: true}); Provider.IsAuthorized(http.NewRequest(" +
			"method, url, body) with the headers and Content-Type). Its policy, fixed in the library: a 300 s window " +
			"on the timestamp's first 10 characters, no nonce check. " +
			"It verifies HMAC with an empty token secret whatever the token, and RSA only with a private key (when the " +
			"case gives only the public key: unsupported).",
	})
}

// int63 parses a value the library can only produce through strconv.FormatInt.
func int63(name string, value *string) (int64, error) {
	if value == nil {
		return 0, adapterproto.Unexpressible("mrjones/oauth always generates oauth_%s; it cannot be omitted", name)
	}
	parsed, err := strconv.ParseInt(*value, 10, 64)
	if err != nil || parsed < 0 || strconv.FormatInt(parsed, 10) != *value {
		return 0, adapterproto.Unexpressible("mrjones/oauth writes oauth_%s with strconv.FormatInt of an int63; cannot send %q", name, *value)
	}
	return parsed, nil
}

func newConsumer(method, key string, secrets *adapterproto.Secrets, provider oauth.ServiceProvider) (*oauth.Consumer, error) {
	if hash, ok := hmacMethods[method]; ok {
		return oauth.NewCustomConsumer(key, httpinput.Value(secrets.ConsumerSecret), hash, provider, nil), nil
	}
	if hash, ok := rsaMethods[method]; ok {
		private, err := httpinput.RSAPrivateKey(secrets.RSAPrivateKeyPEM)
		if err != nil {
			return nil, err
		}
		return oauth.NewCustomRSAConsumer(key, private, hash, provider, nil), nil
	}
	return nil, fmt.Errorf("mrjones/oauth has no signature method %q", method)
}

func sign(message *adapterproto.Message) (map[string]string, error) {
	params := message.OAuth
	if params.Version != nil && *params.Version != "1.0" {
		return nil, adapterproto.Unexpressible("mrjones/oauth always sends oauth_version=\"1.0\"; cannot send %q", *params.Version)
	}
	timestamp, err := int63("timestamp", params.Timestamp)
	if err != nil {
		return nil, err
	}
	nonce, err := int63("nonce", params.Nonce)
	if err != nil {
		return nil, err
	}
	trace := map[string]string{}
	err = adapterproto.Library(func() error {
		consumer, err := newConsumer(params.SignatureMethod, params.ConsumerKey, &message.Secrets, oauth.ServiceProvider{BodyHash: params.ComputeBodyHash})
		if err != nil {
			return err
		}
		for name, value := range params.Extra {
			consumer.AdditionalParams[name] = value
		}
		sent := &httpinput.Recorder{}
		consumer.HttpClient = sent // keeps the signed request instead of sending it
		oauth.ConformanceFix(consumer, timestamp, nonce)
		oauth.ConformanceRecordSigning(consumer, func(baseString, signature string) {
			trace["signature_base_string"] = baseString
			trace["signature"] = signature
		})
		token := &oauth.AccessToken{Token: httpinput.Value(params.Token), Secret: httpinput.Value(message.Secrets.TokenSecret)}
		client, err := consumer.MakeHttpClient(token)
		if err != nil {
			return err
		}
		request, err := httpinput.NewRequest(message.Request)
		if err != nil {
			return err
		}
		response, err := client.Do(request)
		if err != nil {
			return err
		}
		response.Body.Close()
		if sent.Request == nil {
			return errors.New("the library sent no request")
		}
		trace["authorization_header"] = sent.Request.Header.Get("Authorization")
		return nil
	})
	if err != nil {
		return nil, err
	}
	return trace, nil
}

func verify(message *adapterproto.Message) (bool, error) {
	secrets := message.Secrets
	var unsupported error
	provider := oauth.NewProvider(func(key string, header map[string]string) (*oauth.Consumer, error) {
		method := header["oauth_signature_method"]
		// The Provider checks RSA with a Consumer, which holds a private key (NewCustomRSAConsumer):
		// a case that gives only the public key cannot be handed to it.
		if _, rsa := rsaMethods[method]; rsa && secrets.RSAPrivateKeyPEM == nil {
			unsupported = adapterproto.Unexpressible("mrjones/oauth's Provider verifies %s with the consumer's private key; the case has only the public key", method)
			return nil, unsupported
		}
		return newConsumer(method, key, &secrets, oauth.ServiceProvider{SignQueryParams: true})
	})
	oauth.ConformanceSetProviderClock(provider, message.Now)
	err := adapterproto.Library(func() error {
		request, err := httpinput.NewRequest(message.Request)
		if err != nil {
			return err
		}
		_, err = provider.IsAuthorized(request)
		return err
	})
	if unsupported != nil {
		return false, unsupported
	}
	return err == nil, err
}

func main() {
	handlers := adapterproto.Handlers{Sign: sign, Verify: verify}
	if err := adapterproto.Serve(os.Stdin, os.Stdout, implementation(), handlers); err != nil {
		fmt.Fprintln(os.Stderr, "adapter:", err)
		os.Exit(1)
	}
}
