package deploy

import (
	"fmt"
	"sort"
	"strings"
)

// envKind says how an artifact provides an environment variable.
type envKind string

const (
	plainValue envKind = "value"
	secretRef  envKind = "secret"
)

// settings is what one deployment artifact (service.yaml, Terraform, cloudbuild.yaml) sets on
// the service, normalised so the three can be compared.
type settings struct {
	source       string
	env          map[string]envKind
	minInstances int
	maxInstances int
	concurrency  int
}

// secretVars are the variables that must come from Secret Manager, never a literal value.
var secretVars = map[string]bool{
	"SESSION_SECRET":          true,
	"TWITTER_CONSUMER_KEY":    true,
	"TWITTER_CONSUMER_SECRET": true,
}

// platformVars are set by Cloud Run itself; Cloud Run rejects them in a service definition.
var platformVars = map[string]string{
	"PORT":      "Cloud Run sets PORT (8080) for every container",
	"K_SERVICE": "Cloud Run sets K_SERVICE to the service name; it switches logs to JSON",
}

// runtimeVars are not read by config but by the Go runtime; every artifact must set them.
var runtimeVars = map[string]string{
	"GOMEMLIMIT": "soft memory limit below the 512 MiB container limit, so GC runs before an OOM kill",
	"GOGC":       "heap grows to 1.5x the live data between collections, not 2x: the peak RSS target",
}

// defaultedVars are read by the service but deliberately not set in production, with the reason.
var defaultedVars = map[string]string{
	"TWITTER_API_BASE": "the default https://api.twitter.com is production; only tests and the emulator override it",
}

// addEnv records name in s, reporting a duplicate (Cloud Run keeps only one of them).
func (s *settings) addEnv(name string, kind envKind, bad func(string, ...any)) {
	if s.env == nil {
		s.env = map[string]envKind{}
	}
	if _, dup := s.env[name]; dup {
		bad("%s: env %s is set twice", s.source, name)
	}
	s.env[name] = kind
}

// checkConsistency returns every disagreement between the service's variables (names from
// config.Vars) and what the artifacts set, and between the artifacts' scaling settings.
func checkConsistency(configVars []string, arts ...settings) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	known := map[string]bool{}
	for _, v := range configVars {
		known[v] = true
	}
	for _, table := range []map[string]string{platformVars, defaultedVars} {
		for name := range table {
			if !known[name] {
				bad("%s is listed as platform-provided or defaulted but config.Vars() no longer reads it", name)
			}
		}
	}
	for name := range secretVars {
		if !known[name] {
			bad("%s is listed as a secret but config.Vars() no longer reads it", name)
		}
	}

	for name := range runtimeVars {
		if known[name] {
			bad("%s is listed as a runtime variable but config.Vars() reads it; remove it from runtimeVars", name)
		}
	}

	for _, a := range arts {
		for name := range runtimeVars {
			if kind, set := a.env[name]; !set || kind != plainValue {
				bad("%s: does not set %s as a value (%s)", a.source, name, runtimeVars[name])
			}
		}
		for _, name := range configVars {
			kind, set := a.env[name]
			_, platform := platformVars[name]
			_, defaulted := defaultedVars[name]
			switch {
			case platform && set:
				bad("%s: sets %s, which Cloud Run provides (and rejects)", a.source, name)
			case defaulted && set:
				bad("%s: sets %s, which is listed as deliberately defaulted; remove one of the two", a.source, name)
			case platform || defaulted:
			case !set:
				bad("%s: does not set %s (config.Vars); set it or list it as defaulted with a reason", a.source, name)
			case secretVars[name] && kind != secretRef:
				bad("%s: %s must come from Secret Manager, not a literal value", a.source, name)
			case !secretVars[name] && kind == secretRef:
				bad("%s: %s is a secret reference but is not listed as a secret", a.source, name)
			}
		}
		names := make([]string, 0, len(a.env))
		for name := range a.env {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if _, runtime := runtimeVars[name]; !known[name] && !runtime {
				bad("%s: sets %s, which the service never reads (typo?)", a.source, name)
			}
		}
	}

	type field struct {
		what string
		get  func(settings) int
	}
	for _, f := range []field{
		{"max instances", func(s settings) int { return s.maxInstances }},
		{"min instances", func(s settings) int { return s.minInstances }},
		{"concurrency", func(s settings) int { return s.concurrency }},
	} {
		var vals []string
		same := true
		for i, a := range arts {
			vals = append(vals, fmt.Sprintf("%s=%d", a.source, f.get(a)))
			if i > 0 && f.get(a) != f.get(arts[0]) {
				same = false
			}
		}
		if !same {
			bad("%s differ: %s", f.what, strings.Join(vals, ", "))
		}
	}
	for _, a := range arts {
		if a.maxInstances <= 0 {
			bad("%s: max instances must be a positive cap, got %d", a.source, a.maxInstances)
		}
		if a.minInstances != 0 {
			bad("%s: min instances must be 0 (no idle bill), got %d", a.source, a.minInstances)
		}
	}
	return problems
}
