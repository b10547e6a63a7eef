package deploy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// configSource is the authoritative list of variables: config.Vars() in this file. deploy/ may not
// import api/internal/config (Go's internal rule), so the function's source is read instead.
var configSource = filepath.Join("..", "api", "internal", "config", "config.go")

// varsFromSource returns the Name of every Var literal that func Vars returns in src.
func varsFromSource(src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "config.go", src, 0)
	if err != nil {
		return nil, fmt.Errorf("parse config.go: %w", err)
	}
	var names []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "Vars" || fn.Recv != nil {
			continue
		}
		for _, stmt := range fn.Body.List {
			ret, ok := stmt.(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			list, ok := ret.Results[0].(*ast.CompositeLit)
			if !ok {
				return nil, fmt.Errorf("Vars does not return a literal list")
			}
			for _, el := range list.Elts {
				v, ok := el.(*ast.CompositeLit)
				if !ok || len(v.Elts) == 0 {
					return nil, fmt.Errorf("Vars: element %T is not a Var literal", el)
				}
				first := v.Elts[0]
				if _, keyed := first.(*ast.KeyValueExpr); keyed {
					first = nil
					for _, e := range v.Elts {
						kv, ok := e.(*ast.KeyValueExpr)
						if id, isIdent := kv.Key.(*ast.Ident); ok && isIdent && id.Name == "Name" {
							first = kv.Value
						}
					}
				}
				lit, ok := first.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return nil, fmt.Errorf("Vars: a Var's Name is not a string literal")
				}
				name, err := strconv.Unquote(lit.Value)
				if err != nil {
					return nil, fmt.Errorf("Vars: %w", err)
				}
				names = append(names, name)
			}
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no func Vars returning Var literals found")
	}
	return names, nil
}

// configVarNames returns the names of every variable the service reads.
func configVarNames(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile(configSource)
	if err != nil {
		t.Fatalf("read %s: %v", configSource, err)
	}
	names, err := varsFromSource(src)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestVarsFromSource(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    string
		wantErr bool
	}{
		{"positional", "package config\nfunc Vars() []Var { return []Var{{\"A\", \"\", \"\"}, {\"B\", \"1\", \"h\"}} }", "A,B", false},
		{"keyed", "package config\nfunc Vars() []Var { return []Var{{Help: \"h\", Name: \"C\"}} }", "C", false},
		{"no Vars", "package config\nfunc Other() {}", "", true},
		{"computed name", "package config\nfunc Vars() []Var { return []Var{{prefix + \"X\"}} }", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := varsFromSource([]byte(tc.src))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("got %v, want %s", got, tc.want)
			}
		})
	}
	// The real file yields the variables the brief names, so a parse that silently finds
	// nothing useful cannot pass.
	real := strings.Join(configVarNames(t), ",")
	for _, must := range []string{"REDIS_URL", "SESSION_SECRET", "PORT", "K_SERVICE", "QUEUE_CAPACITY"} {
		if !strings.Contains(real, must) {
			t.Errorf("config.Vars() read from source lacks %s: %s", must, real)
		}
	}
}

// artifacts are the three deployment paths' raw files, so rows can break one of them.
type artifacts struct {
	service    string
	cloudbuild string
	terraform  map[string][]byte
}

func (a artifacts) check(t *testing.T) []string {
	t.Helper()
	svc, p1 := checkService([]byte(a.service))
	cb, p2 := checkCloudBuild([]byte(a.cloudbuild))
	tf, p3 := checkTerraform(a.terraform)
	problems := append(append(append([]string{}, p1...), p2...), p3...)
	return append(problems, checkConsistency(configVarNames(t), svc, cb, tf)...)
}

func TestConsistency(t *testing.T) {
	good := artifacts{
		service:    string(repoFile(t, "deploy/cloudrun/service.yaml")),
		cloudbuild: string(repoFile(t, "cloudbuild.yaml")),
		terraform:  terraformFiles(t),
	}
	if p := good.check(t); len(p) != 0 {
		t.Fatalf("deployment artifacts disagree:\n%s", strings.Join(p, "\n"))
	}

	tests := []struct {
		name     string
		artifact string // "service", "cloudbuild" or a terraform file name
		old, new string
		want     string
	}{
		{"cap differs in cloudbuild", "cloudbuild", "--max-instances=10", "--max-instances=100", "max instances differ"},
		{"cap differs in service.yaml", "service", `maxScale: "10"`, `maxScale: "12"`, "max instances differ"},
		{"cap differs in terraform", "variables.tf", "default     = 10", "default     = 11", "max instances differ"},
		{"concurrency differs", "cloudbuild", "--concurrency=80", "--concurrency=1", "concurrency differ"},
		{"min instances not zero", "service", `minScale: "0"`, `minScale: "1"`, "min instances"},
		{"var missing in cloudbuild", "cloudbuild", ",QUEUE_CAPACITY=32", "", "cloudbuild.yaml: does not set QUEUE_CAPACITY"},
		{"var missing in terraform", "run.tf", "name  = \"WINDOW_DAYS\"", "name  = \"WINDOW_DAY\"", "terraform: does not set WINDOW_DAYS"},
		{"typo var in service.yaml", "service", "- name: CACHE_TTL", "- name: CACHE_TTLS", "never reads"},
		{"secret as literal", "cloudbuild", "LOG_FORMAT=json", "LOG_FORMAT=json,SESSION_SECRET=hunter2", "set twice"},
		{"platform var set", "service", "            - name: LOG_FORMAT\n              value: json\n", "            - name: LOG_FORMAT\n              value: json\n            - name: PORT\n              value: \"9090\"\n", "Cloud Run provides"},
		{"runtime var missing", "service", "            - name: GOMEMLIMIT\n              value: 450MiB\n", "", "service.yaml: does not set GOMEMLIMIT"},
		{"defaulted var set", "cloudbuild", "LOG_FORMAT=json", "LOG_FORMAT=json,TWITTER_API_BASE=https://x.example", "deliberately defaulted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			broken := artifacts{service: good.service, cloudbuild: good.cloudbuild, terraform: map[string][]byte{}}
			for k, v := range good.terraform {
				broken.terraform[k] = v
			}
			var before, after string
			switch tc.artifact {
			case "service":
				before = broken.service
				broken.service = strings.ReplaceAll(before, tc.old, tc.new)
				after = broken.service
			case "cloudbuild":
				before = broken.cloudbuild
				broken.cloudbuild = strings.ReplaceAll(before, tc.old, tc.new)
				after = broken.cloudbuild
			default:
				before = string(broken.terraform[tc.artifact])
				after = strings.ReplaceAll(before, tc.old, tc.new)
				broken.terraform[tc.artifact] = []byte(after)
			}
			if before == after {
				t.Fatalf("mutation %q did not apply to %s; update the test", tc.old, tc.artifact)
			}
			p := broken.check(t)
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tc.want, strings.Join(p, "\n"))
			}
		})
	}
}

func TestCheckConsistencySecretKinds(t *testing.T) {
	all := func(kind envKind) map[string]envKind {
		env := map[string]envKind{}
		for _, name := range configVarNames(t) {
			if _, p := platformVars[name]; p {
				continue
			}
			if _, d := defaultedVars[name]; d {
				continue
			}
			env[name] = plainValue
			if secretVars[name] {
				env[name] = kind
			}
		}
		for name := range runtimeVars {
			env[name] = plainValue
		}
		return env
	}
	tests := []struct {
		name string
		env  map[string]envKind
		want string
	}{
		{"secrets from Secret Manager", all(secretRef), ""},
		{"secrets as literals", all(plainValue), "must come from Secret Manager"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings{source: "x", env: tc.env, maxInstances: 10, concurrency: 80}
			p := strings.Join(checkConsistency(configVarNames(t), s), "\n")
			if tc.want == "" && p != "" || !strings.Contains(p, tc.want) {
				t.Fatalf("want %q, got:\n%s", tc.want, p)
			}
		})
	}
}
