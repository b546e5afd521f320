// Package adaptertest is what the Go adapters' tests share: corpus cases as protocol requests
// (inputs only) and a session through adapterproto.Serve, as the harness drives an adapter (every
// message written at once, as pipelined requests).
package adaptertest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"oauth1conformance/adapterproto"
)

// Case is a corpus case: its inputs and expected stages.
type Case struct {
	ID       string                 `json:"id"`
	Kind     string                 `json:"kind"`
	Request  json.RawMessage        `json:"request"`
	OAuth    json.RawMessage        `json:"oauth"`
	Secrets  json.RawMessage        `json:"secrets"`
	Header   string                 `json:"header"`
	Now      int64                  `json:"now"`
	Expected map[string]interface{} `json:"expected"`
}

// CorpusCase finds a case in vectors/ (ADAPTER_ROOT is the repository root; gopath-build.sh sets it).
func CorpusCase(t *testing.T, id string) Case {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(os.Getenv("ADAPTER_ROOT"), "vectors", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no vectors under ADAPTER_ROOT=%q (run through build.sh test): %v", os.Getenv("ADAPTER_ROOT"), err)
	}
	for _, path := range paths {
		var file struct {
			Cases []Case `json:"cases"`
		}
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if json.Unmarshal(text, &file) != nil {
			continue // schema.json has no cases
		}
		for _, found := range file.Cases {
			if found.ID == id {
				return found
			}
		}
	}
	t.Fatalf("no case %s in vectors/", id)
	return Case{}
}

// ProtocolRequest is the protocol request for the case, with its inputs only.
func (c Case) ProtocolRequest(id int) map[string]interface{} {
	switch c.Kind {
	case "sign":
		return map[string]interface{}{"cmd": "sign", "id": id, "request": c.Request, "oauth": c.OAuth, "secrets": c.Secrets}
	case "parse_header":
		return map[string]interface{}{"cmd": "parse_header", "id": id, "header": c.Header}
	}
	return map[string]interface{}{"cmd": "verify", "id": id, "request": c.Request, "secrets": c.Secrets, "now": c.Now}
}

// Session serves the messages (a start is sent first) and returns every answer line, parsed.
func Session(t *testing.T, implementation adapterproto.Implementation, handlers adapterproto.Handlers, messages ...interface{}) []map[string]interface{} {
	t.Helper()
	var input bytes.Buffer
	for _, message := range append([]interface{}{map[string]interface{}{"cmd": "start", "protocol": 1}}, messages...) {
		line, err := json.Marshal(message)
		if err != nil {
			t.Fatal(err)
		}
		input.Write(append(line, '\n'))
	}
	var output bytes.Buffer
	if err := adapterproto.Serve(&input, &output, implementation, handlers); err != nil {
		t.Fatal(err)
	}
	var answers []map[string]interface{}
	scanner := bufio.NewScanner(&output)
	scanner.Buffer(nil, 1<<24)
	for scanner.Scan() {
		var answer map[string]interface{}
		if err := json.Unmarshal(scanner.Bytes(), &answer); err != nil {
			t.Fatalf("answer is not a JSON object: %q", scanner.Text())
		}
		answers = append(answers, answer)
	}
	if len(answers) == 0 || answers[0]["ok"] != true {
		t.Fatalf("handshake failed: %v", answers)
	}
	return answers
}

// Trace is the trace of a sign answer, failing the test on any other answer.
func Trace(t *testing.T, answer map[string]interface{}) map[string]interface{} {
	t.Helper()
	result, ok := answer["result"].(map[string]interface{})
	if !ok {
		t.Fatalf("not a result: %v", answer)
	}
	trace, ok := result["trace"].(map[string]interface{})
	if !ok {
		t.Fatalf("no trace: %v", answer)
	}
	return trace
}
