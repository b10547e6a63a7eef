package deploy

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// taggedImage matches an image reference with an explicit tag or digest.
var taggedImage = regexp.MustCompile(`^[a-z0-9.\-/:]+?(:[A-Za-z0-9_.\-]+)?(@sha256:[a-f0-9]{64})?$`)

// checkDockerfile returns every way src falls short of the image nezame ships: parse and lint
// clean, node -> go -> distroless stages, pinned bases, a static trimmed binary built with the
// module cache mounted, and a non-root exec-form final stage.
func checkDockerfile(src []byte) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return []string{"parse: " + err.Error()}
	}
	for _, w := range res.Warnings {
		bad("parser warning: %s", w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, _ []parser.Range) {
		bad("lint %s: %s", rule, msg)
	}})
	stages, _, err := instructions.Parse(res.AST, lint)
	if err != nil {
		return append(problems, "instructions: "+err.Error())
	}
	if len(stages) < 3 {
		return append(problems, fmt.Sprintf("want >= 3 stages (node, go, runtime), got %d", len(stages)))
	}

	names := map[string]bool{}
	var nodeStage, goStage *instructions.Stage
	for i := range stages {
		s := &stages[i]
		base := s.BaseName
		switch {
		case names[strings.ToLower(base)]:
			// FROM an earlier stage.
		case strings.Contains(base, "$"):
			bad("stage %q: base %q uses a build arg; pin it literally", s.Name, base)
		default:
			ref := base
			if at := strings.Index(ref, "@"); at >= 0 {
				ref = ref[:at]
			}
			colon := strings.LastIndex(ref, ":")
			if colon < 0 || colon < strings.LastIndex(ref, "/") {
				if !strings.Contains(base, "@sha256:") {
					bad("stage %q: base %q has no tag (means latest)", s.Name, base)
				}
			} else if tag := ref[colon+1:]; tag == "latest" {
				bad("stage %q: base %q uses the latest tag", s.Name, base)
			}
			if !taggedImage.MatchString(base) {
				bad("stage %q: base %q is not a plain image reference", s.Name, base)
			}
		}
		if s.Name != "" {
			names[strings.ToLower(s.Name)] = true
		}
		if strings.HasPrefix(base, "node:") && nodeStage == nil {
			nodeStage = s
		}
		// The last Go stage builds the binary; an earlier one may build the browser's
		// WebAssembly analyzer for the node stage.
		if strings.HasPrefix(base, "golang:") {
			goStage = s
		}
	}

	if nodeStage == nil {
		bad("no node stage building the web UI")
	} else {
		runs := strings.Join(runLines(nodeStage), "\n")
		for _, want := range []string{"npm ci", "npm run build"} {
			if !strings.Contains(runs, want) {
				bad("node stage does not run %q", want)
			}
		}
	}

	if goStage == nil {
		bad("no golang stage")
	} else {
		cgoOff := false
		for _, c := range goStage.Commands {
			if env, ok := c.(*instructions.EnvCommand); ok {
				for _, kv := range env.Env {
					if kv.Key == "CGO_ENABLED" && kv.Value == "0" {
						cgoOff = true
					}
				}
			}
		}
		built := false
		for _, c := range goStage.Commands {
			run, ok := c.(*instructions.RunCommand)
			if !ok {
				continue
			}
			line := strings.Join(run.CmdLine, " ")
			if !strings.Contains(line, "go build") {
				continue
			}
			built = true
			if strings.Contains(line, "CGO_ENABLED=0") {
				cgoOff = true
			}
			if strings.Contains(line, "CGO_ENABLED=1") {
				cgoOff = false
			}
			if !strings.Contains(line, "-trimpath") {
				bad("go build without -trimpath")
			}
			if !regexp.MustCompile(`-ldflags[= ]["']?-s -w`).MatchString(line) {
				bad(`go build without -ldflags "-s -w"`)
			}
			// Mount flags are only decoded on expansion; the words here need no build args.
			if err := run.Expand(func(w string) (string, error) { return w, nil }); err != nil {
				bad("RUN %q: %v", line, err)
			}
			targets := map[string]bool{}
			for _, m := range instructions.GetMounts(run) {
				if m.Type == instructions.MountTypeCache {
					targets[m.Target] = true
				}
			}
			if !targets["/go/pkg/mod"] {
				bad("go build RUN has no --mount=type=cache,target=/go/pkg/mod")
			}
			if !targets["/root/.cache/go-build"] {
				bad("go build RUN has no build cache mount (/root/.cache/go-build)")
			}
		}
		if !built {
			bad("golang stage never runs go build")
		}
		if !cgoOff {
			bad("go build is not CGO_ENABLED=0 (distroless/static has no libc)")
		}
	}

	final := &stages[len(stages)-1]
	if !strings.HasPrefix(final.BaseName, "gcr.io/distroless/static") {
		bad("final stage base %q is not distroless/static", final.BaseName)
	}
	user, entry, exposed, copiedBinary := "", (*instructions.EntrypointCommand)(nil), false, false
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.EntrypointCommand:
			entry = c
		case *instructions.ExposeCommand:
			for _, p := range c.Ports {
				if p == "8080" || p == "8080/tcp" {
					exposed = true
				}
			}
		case *instructions.CopyCommand:
			if c.From != "" && strings.Contains(strings.Join(c.SourcePaths, " "), "nezame") {
				copiedBinary = true
			}
		}
	}
	if u := strings.SplitN(user, ":", 2)[0]; u != "nonroot" && u != "65532" {
		bad("final stage USER is %q, want nonroot", user)
	}
	switch {
	case entry == nil:
		bad("final stage has no ENTRYPOINT")
	case entry.PrependShell:
		bad("ENTRYPOINT is shell form; use exec form [\"/nezame\"] so SIGTERM reaches the process")
	case len(entry.CmdLine) != 1 || entry.CmdLine[0] != "/nezame":
		bad("ENTRYPOINT is %q, want [\"/nezame\"]", entry.CmdLine)
	}
	if !exposed {
		bad("final stage does not EXPOSE 8080")
	}
	if !copiedBinary {
		bad("final stage does not COPY --from the built nezame binary")
	}
	return problems
}

func runLines(s *instructions.Stage) []string {
	var out []string
	for _, c := range s.Commands {
		if run, ok := c.(*instructions.RunCommand); ok {
			out = append(out, strings.Join(run.CmdLine, " "))
		}
	}
	return out
}

func TestDockerfile(t *testing.T) {
	good := string(repoFile(t, "Dockerfile"))
	if p := checkDockerfile([]byte(good)); len(p) != 0 {
		t.Fatalf("Dockerfile problems:\n%s", strings.Join(p, "\n"))
	}

	// Each row breaks the real Dockerfile in one way; the checker must notice.
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"untagged base", "FROM golang:1.26-bookworm AS build", "FROM golang AS build", "has no tag"},
		{"latest base", "FROM node:20-bookworm-slim AS web", "FROM node:latest AS web", "latest tag"},
		{"shell-form entrypoint", `ENTRYPOINT ["/nezame"]`, "ENTRYPOINT /nezame", "shell form"},
		{"root user", "USER nonroot:nonroot", "USER root", "want nonroot"},
		{"no trimpath", "-trimpath ", "", "-trimpath"},
		{"cgo on", "CGO_ENABLED=0", "CGO_ENABLED=1", "CGO_ENABLED=0"},
		{"no module cache", "--mount=type=cache,target=/go/pkg/mod \\\n", "", "/go/pkg/mod"},
		{"lint: lowercase as", "AS web", "as web", "FromAsCasing"},
		{"not distroless", "FROM gcr.io/distroless/static-debian12:nonroot AS runtime", "FROM debian:12 AS runtime", "not distroless"},
		{"no npm ci", "npm ci --no-audit --no-fund", "npm install", `"npm ci"`},
		{"unparsable", "FROM golang:1.26-bookworm AS build", "FROM golang:1.26-bookworm AS build extra words", "instructions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			broken := strings.ReplaceAll(good, tc.old, tc.new)
			if broken == good {
				t.Fatalf("mutation %q did not apply: the Dockerfile changed, update the test", tc.old)
			}
			p := checkDockerfile([]byte(broken))
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tc.want, strings.Join(p, "\n"))
			}
		})
	}
}
