package deploy

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	cloudbuild "google.golang.org/api/cloudbuild/v1"
)

// builtinSubstitutions are the names Cloud Build fills in itself.
var builtinSubstitutions = map[string]bool{
	"PROJECT_ID": true, "PROJECT_NUMBER": true, "BUILD_ID": true, "LOCATION": true,
	"COMMIT_SHA": true, "SHORT_SHA": true, "REVISION_ID": true, "REPO_NAME": true,
	"REPO_FULL_NAME": true, "BRANCH_NAME": true, "TAG_NAME": true, "REF_NAME": true,
	"TRIGGER_NAME": true, "TRIGGER_BUILD_CONFIG_PATH": true, "SERVICE_ACCOUNT_EMAIL": true,
	"SERVICE_ACCOUNT": true,
}

// substRef matches $NAME, ${NAME} and the escape $$ (alternatives in that order).
var substRef = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

const imageRepo = "${_REGION}-docker.pkg.dev/$PROJECT_ID/${_REPO}/nezame"

// checkCloudBuild decodes cloudbuild.yaml strictly into the Cloud Build API's Build and returns
// the deploy step's settings and every problem found.
func checkCloudBuild(src []byte) (settings, []string) {
	s := settings{source: "cloudbuild.yaml"}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	var b cloudbuild.Build
	if err := decodeStrictYAML(src, &b); err != nil {
		return s, []string{err.Error()}
	}
	if b.Options == nil || b.Options.Logging != "CLOUD_LOGGING_ONLY" {
		bad("options.logging must be CLOUD_LOGGING_ONLY")
	}

	steps := map[string]*cloudbuild.BuildStep{}
	var texts []string
	for _, st := range b.Steps {
		steps[st.Id] = st
		texts = append(texts, st.Name, st.Entrypoint, st.Dir, st.Script)
		texts = append(texts, st.Args...)
		texts = append(texts, st.Env...)
	}
	texts = append(texts, b.Images...)

	for _, id := range []string{"go-test", "web-test"} {
		st := steps[id]
		if st == nil {
			bad("no step %q", id)
			continue
		}
		if len(st.WaitFor) != 1 || st.WaitFor[0] != "-" {
			bad("step %q must start at once (waitFor: [\"-\"]) so the tests run in parallel", id)
		}
	}
	if st := steps["go-test"]; st != nil && !strings.Contains(strings.Join(st.Args, " "), "go test") {
		bad("step go-test does not run go test")
	}
	if st := steps["web-test"]; st != nil && !strings.Contains(strings.Join(st.Args, " "), "npm test") {
		bad("step web-test does not run npm test")
	}
	if st := steps["build"]; st == nil {
		bad("no step \"build\"")
	} else {
		wait := strings.Join(st.WaitFor, ",")
		if !strings.Contains(wait, "go-test") || !strings.Contains(wait, "web-test") {
			bad("step build must wait for go-test and web-test, waits for %q", wait)
		}
		script := strings.Join(st.Args, " ")
		if !strings.Contains(script, "docker build") || !strings.Contains(script, ":$BUILD_ID") {
			bad("step build must docker build an image tagged $BUILD_ID")
		}
		if !strings.Contains(script, imageRepo) {
			bad("step build does not tag %s", imageRepo)
		}
	}
	if st := steps["push"]; st == nil || !strings.Contains(strings.Join(st.Args, " "), imageRepo) {
		bad("no step \"push\" pushing %s", imageRepo)
	}

	// Substitutions: every ${_X} used is declared, every declared one is used (Cloud Build rejects
	// both), and every other $word is a built-in or escaped as $$ for the shell.
	used := map[string]bool{}
	for _, text := range texts {
		for _, m := range substRef.FindAllStringSubmatch(text, -1) {
			if m[0] == "$$" {
				continue
			}
			name := m[1] + m[2]
			switch {
			case strings.HasPrefix(name, "_"):
				used[name] = true
				if _, ok := b.Substitutions[name]; !ok {
					bad("substitution %s is used but has no default in substitutions", name)
				}
			case !builtinSubstitutions[name]:
				bad("$%s is neither a built-in substitution nor escaped as $$%s for the shell", name, name)
			}
		}
	}
	declared := make([]string, 0, len(b.Substitutions))
	for name := range b.Substitutions {
		declared = append(declared, name)
	}
	sort.Strings(declared)
	for _, name := range declared {
		if !strings.HasPrefix(name, "_") {
			bad("substitution %s must start with _", name)
		}
		if !used[name] {
			bad("substitution %s is declared but never used", name)
		}
	}

	deploy := steps["deploy"]
	if deploy == nil {
		return s, append(problems, "no step \"deploy\"")
	}
	script := strings.ReplaceAll(strings.Join(deploy.Args, "\n"), "\\\n", " ")
	at := strings.Index(script, "gcloud run deploy")
	if at < 0 {
		return s, append(problems, "step deploy does not run gcloud run deploy")
	}
	flags := map[string]string{}
	for _, tok := range strings.Fields(strings.SplitN(script[at:], "\n", 2)[0]) {
		if !strings.HasPrefix(tok, "--") {
			continue
		}
		k, v, _ := strings.Cut(tok, "=")
		if _, dup := flags[k]; dup {
			bad("deploy: flag %s given twice", k)
		}
		flags[k] = v
	}
	for _, k := range []string{"--set-env-vars", "--set-secrets"} {
		if v, ok := flags[k]; ok {
			for _, pair := range strings.Split(v, ",") {
				name, _, _ := strings.Cut(pair, "=")
				kind := plainValue
				if k == "--set-secrets" {
					kind = secretRef
				}
				s.addEnv(name, kind, bad)
			}
		}
	}
	for _, k := range []string{"--update-env-vars", "--update-secrets", "--env-vars-file", "--clear-env-vars"} {
		if _, ok := flags[k]; ok {
			bad("deploy: use --set-env-vars/--set-secrets so every revision's env is fully stated, not %s", k)
		}
	}
	num := func(flag string) int {
		n, err := strconv.Atoi(flags[flag])
		if err != nil {
			bad("deploy: %s=%q is not a number", flag, flags[flag])
		}
		return n
	}
	s.minInstances = num("--min-instances")
	s.maxInstances = num("--max-instances")
	s.concurrency = num("--concurrency")
	want := map[string]string{
		"--image":            imageRepo + ":$BUILD_ID",
		"--cpu":              "1",
		"--memory":           "512Mi",
		"--vpc-egress":       "private-ranges-only",
		"--cpu-throttling":   "",
		"--cpu-boost":        "",
		"--session-affinity": "",
	}
	for k, v := range want {
		got, ok := flags[k]
		if !ok || got != v {
			bad("deploy: want %s=%q, got %q (present %v)", k, v, got, ok)
		}
	}
	return s, problems
}

func TestCloudBuild(t *testing.T) {
	good := string(repoFile(t, "cloudbuild.yaml"))
	s, p := checkCloudBuild([]byte(good))
	if len(p) != 0 {
		t.Fatalf("cloudbuild.yaml problems:\n%s", strings.Join(p, "\n"))
	}
	if s.maxInstances != 10 || len(s.env) == 0 {
		t.Fatalf("deploy step read as %+v", s)
	}

	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"unknown field", "  logging: CLOUD_LOGGING_ONLY", "  logging: CLOUD_LOGGING_ONLY\n  colour: blue", "unknown field"},
		{"misspelt key case", "    waitFor: [\"go-test\", \"web-test\"]", "    waitfor: [\"go-test\", \"web-test\"]", "not read as written"},
		{"wrong logging", "logging: CLOUD_LOGGING_ONLY", "logging: LEGACY", "CLOUD_LOGGING_ONLY"},
		{"serial tests", "    dir: web\n    waitFor: [\"-\"]", "    dir: web\n    waitFor: [\"go-test\"]", "in parallel"},
		{"unescaped shell var", `tags=(-t "$$image:$BUILD_ID")`, `tags=(-t "$image:$BUILD_ID")`, "$image is neither"},
		{"undeclared substitution", "--region=${_REGION}", "--region=${_ZONE}", "_ZONE is used"},
		{"unused substitution", "  _DEPLOY: \"true\"", "  _DEPLOY: \"true\"\n  _UNUSED: x", "_UNUSED is declared"},
		{"no cpu boost", "          --cpu-boost \\\n", "", "--cpu-boost"},
		{"update instead of set", "--set-secrets=", "--update-secrets=", "--update-secrets"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			broken := strings.ReplaceAll(good, tc.old, tc.new)
			if broken == good {
				t.Fatalf("mutation %q did not apply: cloudbuild.yaml changed, update the test", tc.old)
			}
			_, p := checkCloudBuild([]byte(broken))
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tc.want, strings.Join(p, "\n"))
			}
		})
	}
}
