// Command server protects an HTTP API with github.com/mrjones/oauth's Provider (Debian
// golang-github-mrjones-oauth-dev) behind Go's net/http: a live server for
// `oauth1-conformance probe`.
//
//	server --port PORT --credentials FILE
//
// Every path and method is a protected resource: Provider.IsAuthorized(request) with the
// ConsumerGetter the library's NewProvider documentation asks for ("a function to get the consumer
// secret from a datastore"), built as the library's provider tests build it:
// NewConsumer(key, secret, ServiceProvider{}). 200 with a small JSON body when it returns a consumer
// key, 401 with the error otherwise. The library's Provider is two-legged: it verifies the
// signature with the consumer secret only and has no temporary-credential or token endpoints.
//
// It prints `listening on http://127.0.0.1:PORT` once the socket listens and shuts down on SIGTERM
// or SIGINT.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mrjones/oauth"
)

// A body larger than this is cut off (the library then fails to read it and refuses the request).
const maxBodyBytes = 1 << 20

// A credentials file larger than this is not a credentials file.
const maxCredentialsBytes = 1 << 20

type credentialsFile struct {
	Consumers []struct {
		Key    *string `json:"key"`
		Secret *string `json:"secret"`
	} `json:"consumers"`
}

// loadConsumers reads the consumers of the credentials file (key -> secret); the file's tokens and
// verifier are unused, the library's Provider knows no tokens.
func loadConsumers(path string) (map[string]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, maxCredentialsBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw) > maxCredentialsBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxCredentialsBytes)
	}
	var parsed credentialsFile
	if err := json.Unmarshal(raw, &parsed); err != nil {
		return nil, fmt.Errorf("%s: not a credentials file: %w", path, err)
	}
	if parsed.Consumers == nil {
		return nil, fmt.Errorf(`%s: "consumers" must be an array`, path)
	}
	consumers := map[string]string{}
	for i, consumer := range parsed.Consumers {
		if consumer.Key == nil {
			return nil, fmt.Errorf(`%s: consumers[%d].key must be a string`, path, i)
		}
		secret := ""
		if consumer.Secret != nil {
			secret = *consumer.Secret
		}
		consumers[*consumer.Key] = secret
	}
	return consumers, nil
}

func handler(consumers map[string]string) http.Handler {
	provider := oauth.NewProvider(func(key string, header map[string]string) (*oauth.Consumer, error) {
		secret, ok := consumers[key]
		if !ok {
			return nil, fmt.Errorf("unknown consumer key")
		}
		return oauth.NewConsumer(key, secret, oauth.ServiceProvider{}), nil
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		w.Header().Set("Content-Type", "application/json")
		consumerKey, err := provider.IsAuthorized(r)
		if err != nil || consumerKey == nil {
			message := "not authorized"
			if err != nil {
				message = err.Error()
			}
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"accepted": false, "error": message})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"accepted": true, "server": "mrjones-oauth-provider"})
	})
}

func run() int {
	port := flag.Int("port", -1, "TCP port on 127.0.0.1 (0: any free port)")
	credentialsPath := flag.String("credentials", "", "the credentials JSON file")
	flag.Parse()
	if *port < 0 || *port > 65535 || *credentialsPath == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: server --port PORT --credentials FILE")
		return 2
	}
	consumers, err := loadConsumers(*credentialsPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 2
	}
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 2
	}
	server := &http.Server{Handler: handler(consumers), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	fmt.Printf("listening on http://%s\n", listener.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	select {
	case err := <-served:
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 2
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 2
	}
	return 0
}

func main() {
	os.Exit(run())
}
