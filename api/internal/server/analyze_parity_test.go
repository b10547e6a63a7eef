package server

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// TestAnalyzeRefusalsMatchWasm runs the cases the WebAssembly build is tested against too
// (analyzer/wasm/testdata/refusals.json): the server refuses exactly what the device refuses,
// with the same codes, so an archive analysed on a device is one the server accepts.
func TestAnalyzeRefusalsMatchWasm(t *testing.T) {
	raw, err := os.ReadFile("../../../analyzer/wasm/testdata/refusals.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Name       string
			TZ         string
			Timestamps []string
			Code       string
		}
	}
	if err := json.Unmarshal(raw, &file); err != nil || len(file.Cases) == 0 {
		t.Fatalf("refusals.json: %v", err)
	}
	s, _ := newLoggedServer(t, nil, nil)
	base := serveHTTP(t, s)
	for _, tc := range file.Cases {
		body, _ := json.Marshal(map[string]any{"tz": tc.TZ, "timestamps": tc.Timestamps})
		resp, out := postAnalyze(t, base, bytes.NewReader(body), false)
		var e errJSON
		_ = json.Unmarshal([]byte(out), &e)
		if e.Error.Code != tc.Code || (tc.Code == "") != (resp.StatusCode == 200) {
			t.Errorf("%s: %d %s, want code %q", tc.Name, resp.StatusCode, out[:min(len(out), 200)], tc.Code)
		}
	}
}
