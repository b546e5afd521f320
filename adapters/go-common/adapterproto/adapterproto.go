// Package adapterproto is the protocol loop shared by the Go adapters (adapters/PROTOCOL.md, version
// 1): JSON lines on stdin/stdout, a `start` handshake, one answer per request in request order, exit
// on `stop` or end of file. Each adapter supplies its implementation description and one handler per
// operation; this package never touches an OAuth library.
package adapterproto

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"unicode/utf8"
)

// Protocol is the protocol version served.
const Protocol = 1

// Capabilities is the `capabilities` object of the handshake.
type Capabilities struct {
	Operations              []string `json:"operations"`
	SignatureMethods        []string `json:"signature_methods"`
	Stages                  []string `json:"stages"`
	CanOmitVersion          bool     `json:"can_omit_version"`
	BodyHash                bool     `json:"body_hash"`
	ReportsRejectionReasons bool     `json:"reports_rejection_reasons"`
	// Limits are the inputs the library's API cannot express (adapters/PROTOCOL.md).
	Limits map[string]interface{} `json:"limits,omitempty"`
	Notes  string                 `json:"notes"`
}

// Implementation is the `implementation` object of the handshake.
type Implementation struct {
	Name         string       `json:"name"`
	Version      string       `json:"version"`
	Language     string       `json:"language"`
	Capabilities Capabilities `json:"capabilities"`
}

// GoImplementation is the handshake's implementation object of a Go adapter (rejection reasons are
// never reported).
func GoImplementation(name, version string, capabilities Capabilities) Implementation {
	capabilities.ReportsRejectionReasons = false
	return Implementation{Name: name, Version: version, Language: "go", Capabilities: capabilities}
}

// HTTPRequest is a request of the vector format; Headers only in verify requests.
type HTTPRequest struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	ContentType *string     `json:"content_type"`
	Body        *string     `json:"body"`
	Headers     [][2]string `json:"headers"`
}

// OAuth lists a sign request's protocol parameters; nil means omitted.
type OAuth struct {
	ConsumerKey     string            `json:"consumer_key"`
	Token           *string           `json:"token"`
	SignatureMethod string            `json:"signature_method"`
	Timestamp       *string           `json:"timestamp"`
	Nonce           *string           `json:"nonce"`
	Version         *string           `json:"version"`
	Realm           *string           `json:"realm"`
	Extra           map[string]string `json:"extra"`
	ComputeBodyHash bool              `json:"compute_body_hash"`
}

// Secrets holds the secrets of a sign (private key) or verify (public key) request.
type Secrets struct {
	ConsumerSecret   *string `json:"consumer_secret"`
	TokenSecret      *string `json:"token_secret"`
	RSAPrivateKeyPEM *string `json:"rsa_private_key_pem"`
	RSAPublicKeyPEM  *string `json:"rsa_public_key_pem"`
}

// Message is any request line.
type Message struct {
	Cmd      string          `json:"cmd"`
	ID       json.RawMessage `json:"id"`
	Protocol int             `json:"protocol"`
	Request  *HTTPRequest    `json:"request"`
	OAuth    *OAuth          `json:"oauth"`
	Secrets  Secrets         `json:"secrets"`
	Header   string          `json:"header"`
	Now      int64           `json:"now"`
}

// Handlers answers the operations an adapter serves; a nil handler is an unsupported command.
type Handlers struct {
	Sign        func(*Message) (map[string]string, error)
	ParseHeader func(*Message) ([][2]string, error)
	Verify      func(*Message) (bool, error)
}

// Rejected means the library refused the input: answered as `rejected`.
type Rejected struct{ Message string }

func (r *Rejected) Error() string { return r.Message }

// Unsupported means the input cannot be expressed through the library's API: answered as
// `unsupported` (the case is skipped, with this reason).
type Unsupported struct{ Message string }

func (u *Unsupported) Error() string { return u.Message }

// Crashed means the library crashed on the input (it panicked): answered as `crashed`, a finding.
type Crashed struct{ Message string }

func (c *Crashed) Error() string { return c.Message }

// Reject returns a Rejected error built like fmt.Sprintf.
func Reject(format string, args ...interface{}) error {
	return &Rejected{Message: fmt.Sprintf(format, args...)}
}

// Unexpressible returns an Unsupported error built like fmt.Sprintf.
func Unexpressible(format string, args ...interface{}) error {
	return &Unsupported{Message: fmt.Sprintf(format, args...)}
}

// Library runs a call into the library: an error it returns is its refusal of the input, a panic
// it raises is a crash (answered `crashed`, with the library's stack: a finding).
func Library(call func() error) (err error) {
	defer func() {
		if recovered := recover(); recovered != nil {
			err = &Crashed{Message: fmt.Sprintf("panic: %v\n%s", recovered, debug.Stack())}
		}
	}()
	if err := call(); err != nil {
		var rejected *Rejected
		if errors.As(err, &rejected) {
			return err
		}
		return &Rejected{Message: fmt.Sprintf("%T: %v", err, err)}
	}
	return nil
}

type outcome struct {
	ID          json.RawMessage        `json:"id"`
	Result      interface{}            `json:"result,omitempty"`
	Rejected    map[string]interface{} `json:"rejected,omitempty"`
	Unsupported map[string]string      `json:"unsupported,omitempty"`
	Crashed     map[string]string      `json:"crashed,omitempty"`
	Error       map[string]string      `json:"error,omitempty"`
}

// Serve answers requests from in on out until `stop` or end of file.
func Serve(in io.Reader, out io.Writer, implementation Implementation, handlers Handlers) error {
	reader := bufio.NewReaderSize(in, 1<<16)
	writer := bufio.NewWriter(out)
	started := false
	for {
		line, readErr := reader.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var message Message
			parseErr := json.Unmarshal(line, &message)
			var answer interface{}
			switch {
			case !started:
				answer = handshake(&message, parseErr, implementation)
			case parseErr == nil && message.Cmd == "stop":
				return write(writer, map[string]bool{"ok": true})
			case parseErr != nil:
				answer = outcome{ID: json.RawMessage("null"), Error: map[string]string{"message": "unparsable request: " + parseErr.Error()}}
			default:
				answer = dispatch(&message, handlers)
			}
			if err := write(writer, answer); err != nil {
				return err
			}
			if !started {
				if refused, ok := answer.(map[string]interface{}); ok && refused["ok"] == false {
					return nil
				}
				started = true
			}
		}
		if readErr == io.EOF {
			return nil
		}
		if readErr != nil {
			return readErr
		}
	}
}

func write(writer *bufio.Writer, value interface{}) error {
	encoder := json.NewEncoder(writer)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(value); err != nil {
		return err
	}
	return writer.Flush()
}

func handshake(message *Message, parseErr error, implementation Implementation) interface{} {
	if parseErr != nil || message.Cmd != "start" || message.Protocol != Protocol {
		return map[string]interface{}{"ok": false, "error": fmt.Sprintf("expected {\"cmd\":\"start\",\"protocol\":%d}", Protocol)}
	}
	return map[string]interface{}{"ok": true, "protocol": Protocol, "implementation": implementation}
}

func dispatch(message *Message, handlers Handlers) (answer outcome) {
	answer.ID = message.ID
	if len(answer.ID) == 0 {
		answer.ID = json.RawMessage("null")
	}
	defer func() {
		if recovered := recover(); recovered != nil {
			answer.Result = nil
			answer.Error = map[string]string{"message": fmt.Sprintf("adapter failed: panic: %v", recovered), "context": string(debug.Stack())}
		}
	}()
	var result interface{}
	var err error
	switch {
	case message.Cmd == "sign" && handlers.Sign != nil && message.Request != nil && message.OAuth != nil:
		var trace map[string]string
		if trace, err = handlers.Sign(message); err == nil {
			err = checkUTF8(trace)
			result = map[string]interface{}{"trace": trace}
		}
	case message.Cmd == "parse_header" && handlers.ParseHeader != nil:
		var params [][2]string
		if params, err = handlers.ParseHeader(message); err == nil {
			for _, pair := range params {
				if err == nil {
					err = checkUTF8(map[string]string{"name": pair[0], "value": pair[1]})
				}
			}
			result = map[string]interface{}{"params": params}
		}
	case message.Cmd == "verify" && handlers.Verify != nil && message.Request != nil:
		var accepted bool
		if accepted, err = handlers.Verify(message); err == nil {
			result = map[string]bool{"accepted": accepted}
		}
	default:
		return outcome{ID: answer.ID, Error: map[string]string{"message": fmt.Sprintf("unsupported command %q (or a request without its inputs)", message.Cmd)}}
	}
	var rejected *Rejected
	var unsupported *Unsupported
	var crashed *Crashed
	switch {
	case err == nil:
		answer.Result = result
	case errors.As(err, &rejected):
		answer.Rejected = map[string]interface{}{"reason": nil, "message": rejected.Message}
	case errors.As(err, &unsupported):
		answer.Unsupported = map[string]string{"message": unsupported.Message}
	case errors.As(err, &crashed):
		answer.Crashed = map[string]string{"message": crashed.Message}
	default:
		answer.Error = map[string]string{"message": "adapter failed: " + err.Error()}
	}
	return answer
}

// checkUTF8 refuses to report a value encoding/json would silently alter (it replaces octets that
// are not UTF-8 with U+FFFD).
func checkUTF8(values map[string]string) error {
	for name, value := range values {
		if !utf8.ValidString(value) {
			return fmt.Errorf("the library produced %s with octets that are not UTF-8 (%q); JSON cannot carry it", name, value)
		}
	}
	return nil
}
