package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/goccy/go-yaml"
)

// repoFile reads a file relative to the repository root (this package lives in deploy/).
func repoFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	return b
}

// decodeStrictYAML decodes YAML into v the way the real API would read it: through JSON, with
// unknown fields rejected. encoding/json matches field names case-insensitively, so the decoded
// value is also re-encoded and compared with the input: a key spelt "waitfor" or a value the type
// silently drops shows up as a difference.
func decodeStrictYAML(src []byte, v any) error {
	js, err := yaml.YAMLToJSON(src)
	if err != nil {
		return fmt.Errorf("yaml to json: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	if dec.More() {
		return fmt.Errorf("decode %T: trailing data after the first document", v)
	}
	back, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("re-encode %T: %w", v, err)
	}
	var in, out any
	if err := json.Unmarshal(js, &in); err != nil {
		return fmt.Errorf("reparse input: %w", err)
	}
	if err := json.Unmarshal(back, &out); err != nil {
		return fmt.Errorf("reparse output: %w", err)
	}
	if p := firstDiff("", in, out); p != "" {
		return fmt.Errorf("decode %T: field %s is not read as written (misspelt key or wrong type)", v, p)
	}
	return nil
}

// firstDiff returns the path of the first difference between two JSON trees, or "".
func firstDiff(path string, a, b any) string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if p := firstDiff(path+"."+k, am[k], bm[k]); p != "" {
				return p
			}
		}
		return ""
	}
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok {
		if len(as) != len(bs) {
			return path
		}
		for i := range as {
			if p := firstDiff(fmt.Sprintf("%s[%d]", path, i), as[i], bs[i]); p != "" {
				return p
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		if path == "" {
			return "(root)"
		}
		return path
	}
	return ""
}

func TestDecodeStrictYAMLRejects(t *testing.T) {
	type inner struct {
		Name string `json:"name,omitempty"`
	}
	type doc struct {
		Items []inner `json:"items,omitempty"`
		Count int64   `json:"count,omitempty"`
	}
	tests := []struct {
		name    string
		src     string
		wantErr bool
	}{
		{"valid", "items:\n  - name: a\ncount: 3\n", false},
		{"unknown field", "items:\n  - name: a\n    nmae: b\n", true},
		{"wrong case key", "Items:\n  - name: a\n", true},
		{"wrong type", "count: many\n", true},
		{"not yaml", "items: [\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := decodeStrictYAML([]byte(tc.src), &d)
			if (err != nil) != tc.wantErr {
				t.Fatalf("decodeStrictYAML error = %v, want error %v", err, tc.wantErr)
			}
		})
	}
}
