package deploy

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The binary that is tested must be the binary that ships: the Makefile (GOTAGS, used by build,
// test, run and loadtest), the Dockerfile's go build and Cloud Build's go vet and go test use
// the same build tags, and those leave gin's MessagePack binding out (nomsgpack: about 6 MB of
// binary for a codec nezame never binds).
func checkBuildTags(makefile, dockerfile, cloudbuild string) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	m := regexp.MustCompile(`(?m)^GOTAGS\s*:?=\s*(.*)$`).FindStringSubmatch(makefile)
	if m == nil {
		return []string{"Makefile: no GOTAGS := line"}
	}
	tags := strings.TrimSpace(m[1])
	if !strings.Contains(" "+strings.ReplaceAll(tags, ",", " ")+" ", " nomsgpack ") {
		bad("Makefile: GOTAGS %q does not include nomsgpack", tags)
	}
	for _, cmd := range []string{"$(GO) build", "$(GO) test -race", "$(GO) vet", "$(GO) run"} {
		for _, line := range strings.Split(makefile, "\n") {
			service := strings.Contains(line, "./api") || strings.Contains(line, "./...")
			if strings.Contains(line, cmd) && service && !strings.Contains(line, "-tags $(GOTAGS)") {
				bad("Makefile: %q without -tags $(GOTAGS)", strings.TrimSpace(line))
			}
		}
	}
	want := "-tags " + tags
	for _, line := range strings.Split(dockerfile, "\n") {
		if strings.Contains(line, "go build") && !strings.Contains(line, want) {
			bad("Dockerfile: go build without %q (the Makefile's GOTAGS)", want)
		}
	}
	for _, cmd := range []string{"go vet", "go test"} {
		found := false
		for _, line := range strings.Split(cloudbuild, "\n") {
			if strings.Contains(line, cmd+" ") && !strings.HasPrefix(strings.TrimSpace(line), "#") {
				found = true
				if !strings.Contains(line, want) {
					bad("cloudbuild.yaml: %q without %q (the Makefile's GOTAGS)", strings.TrimSpace(line), want)
				}
			}
		}
		if !found {
			bad("cloudbuild.yaml: no %s", cmd)
		}
	}
	return problems
}

func TestBuildTagsAgree(t *testing.T) {
	mk, df, cb := string(repoFile(t, "Makefile")), string(repoFile(t, "Dockerfile")), string(repoFile(t, "cloudbuild.yaml"))
	if p := checkBuildTags(mk, df, cb); len(p) != 0 {
		t.Fatalf("build tags disagree:\n%s", strings.Join(p, "\n"))
	}
	for _, tc := range []struct {
		name, file, old, new, want string
	}{
		{"no nomsgpack", "Makefile", "GOTAGS := nomsgpack", "GOTAGS := netgo", "does not include nomsgpack"},
		{"make build without tags", "Makefile", "$(GO) build -tags $(GOTAGS)", "$(GO) build", "without -tags $(GOTAGS)"},
		{"image without tags", "Dockerfile", "go build -tags nomsgpack", "go build", "Dockerfile: go build without"},
		{"ci tests other tags", "cloudbuild.yaml", "go test -race -count=1 -tags nomsgpack", "go test -race -count=1", "cloudbuild.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"Makefile": mk, "Dockerfile": df, "cloudbuild.yaml": cb}
			broken := strings.ReplaceAll(files[tc.file], tc.old, tc.new)
			if broken == files[tc.file] {
				t.Fatalf("mutation %q did not apply to %s; update the test", tc.old, tc.file)
			}
			files[tc.file] = broken
			p := checkBuildTags(files["Makefile"], files["Dockerfile"], files["cloudbuild.yaml"])
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tc.want, strings.Join(p, "\n"))
			}
		})
	}
}
