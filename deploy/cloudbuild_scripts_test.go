package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	cloudbuild "google.golang.org/api/cloudbuild/v1"
)

// substitute does what Cloud Build does to a step's text before running it: $$ becomes $, and
// $NAME / ${NAME} become the substitution's value.
func substitute(text string, subs map[string]string) string {
	return substRef.ReplaceAllStringFunc(text, func(m string) string {
		if m == "$$" {
			return "$"
		}
		name := strings.Trim(m, "${}")
		return subs[name]
	})
}

// runStep runs one bash step of the build the way Cloud Build would, with fake docker and gcloud
// commands that record their arguments. It returns the recorded calls and the step's output.
func runStep(t *testing.T, b *cloudbuild.Build, id string, subs map[string]string) (calls []string, out string, err error) {
	t.Helper()
	var step *cloudbuild.BuildStep
	for _, st := range b.Steps {
		if st.Id == id {
			step = st
		}
	}
	if step == nil || step.Entrypoint != "bash" {
		t.Fatalf("no bash step %q", id)
	}
	bin := t.TempDir()
	logPath := filepath.Join(bin, "calls.log")
	fake := "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$FAKE_LOG\"\n"
	for _, tool := range []string{"docker", "gcloud"} {
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(fake), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	args := make([]string, len(step.Args))
	for i, a := range step.Args {
		args[i] = substitute(a, subs)
	}
	cmd := exec.Command("bash", args...)
	cmd.Env = []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "FAKE_LOG=" + logPath}
	for _, e := range step.Env {
		cmd.Env = append(cmd.Env, substitute(e, subs))
	}
	o, err := cmd.CombinedOutput()
	log, rerr := os.ReadFile(logPath)
	if rerr == nil {
		calls = strings.Split(strings.TrimSpace(string(log)), "\n")
	}
	return calls, string(o), err
}

func TestCloudBuildScripts(t *testing.T) {
	var b cloudbuild.Build
	if err := decodeStrictYAML(repoFile(t, "cloudbuild.yaml"), &b); err != nil {
		t.Fatal(err)
	}
	const image = "asia-northeast1-docker.pkg.dev/proj/nezame/nezame"
	subsWith := func(over map[string]string) map[string]string {
		subs := map[string]string{"PROJECT_ID": "proj", "BUILD_ID": "bid-1", "SHORT_SHA": ""}
		for k, v := range b.Substitutions {
			subs[k] = v
		}
		for k, v := range over {
			subs[k] = v
		}
		return subs
	}
	ready := map[string]string{"_REDIS_URL": "redis://10.0.0.3:6379/0", "_PUBLIC_URL": "https://nezame.example"}

	tests := []struct {
		name     string
		step     string
		subs     map[string]string
		wantErr  bool
		want     []string // substrings of the recorded calls
		wantNot  []string
		wantOut  string
		wantNone bool // no docker/gcloud call at all
	}{
		{name: "build from gcloud builds submit: BUILD_ID tag only", step: "build", subs: subsWith(nil),
			want: []string{"docker build -t " + image + ":bid-1 ."}, wantNot: []string{":abc1234"}},
		{name: "build from a trigger: also SHORT_SHA", step: "build", subs: subsWith(map[string]string{"SHORT_SHA": "abc1234"}),
			want: []string{"-t " + image + ":bid-1 -t " + image + ":abc1234 ."}},
		{name: "deploy", step: "deploy", subs: subsWith(ready),
			want: []string{
				"gcloud run deploy nezame --image=" + image + ":bid-1 ",
				"--service-account=nezame-run@proj.iam.gserviceaccount.com",
				"REDIS_URL=redis://10.0.0.3:6379/0,",
				"PUBLIC_URL=https://nezame.example,",
				"SHARE_STORE=gs://proj-nezame-shares/shares,",
				"GOOGLE_CLOUD_PROJECT=proj,",
				"--max-instances=10 ",
			}},
		{name: "deploy without REDIS_URL fails loudly", step: "deploy", subs: subsWith(map[string]string{"_PUBLIC_URL": "https://x.example"}),
			wantErr: true, wantOut: "set _REDIS_URL", wantNone: true},
		{name: "bootstrap: push only", step: "deploy", subs: subsWith(map[string]string{"_DEPLOY": "false"}),
			wantOut: "not deployed", wantNone: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls, out, err := runStep(t, &b, tc.step, tc.subs)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v; output:\n%s", err, tc.wantErr, out)
			}
			joined := strings.Join(calls, "\n")
			if tc.wantNone && len(calls) != 0 {
				t.Fatalf("want no docker/gcloud call, got:\n%s", joined)
			}
			if len(calls) > 1 {
				t.Fatalf("want one call, got:\n%s", joined)
			}
			for _, w := range tc.want {
				if !strings.Contains(joined, w) {
					t.Errorf("calls lack %q:\n%s", w, joined)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(joined, w) {
					t.Errorf("calls contain %q:\n%s", w, joined)
				}
			}
			if !strings.Contains(out, tc.wantOut) {
				t.Errorf("output lacks %q:\n%s", tc.wantOut, out)
			}
		})
	}
}
