package deploy

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	run "google.golang.org/api/run/v1"
)

// checkService decodes deploy/cloudrun/service.yaml strictly into the Cloud Run Admin API's
// Service and returns its settings and every problem found.
func checkService(src []byte) (settings, []string) {
	s := settings{source: "service.yaml"}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	var svc run.Service
	if err := decodeStrictYAML(src, &svc); err != nil {
		return s, []string{err.Error()}
	}
	if svc.ApiVersion != "serving.knative.dev/v1" || svc.Kind != "Service" {
		bad("want apiVersion serving.knative.dev/v1 kind Service, got %s %s", svc.ApiVersion, svc.Kind)
	}
	if svc.Metadata == nil || svc.Metadata.Name != "nezame" {
		bad("metadata.name must be nezame")
	}
	if svc.Spec == nil || svc.Spec.Template == nil || svc.Spec.Template.Spec == nil || svc.Spec.Template.Metadata == nil {
		return s, append(problems, "spec.template.{metadata,spec} missing")
	}
	ann := svc.Spec.Template.Metadata.Annotations
	num := func(key string) int {
		n, err := strconv.Atoi(ann[key])
		if err != nil {
			bad("annotation %s=%q is not a number", key, ann[key])
		}
		return n
	}
	s.minInstances = num("autoscaling.knative.dev/minScale")
	s.maxInstances = num("autoscaling.knative.dev/maxScale")
	for key, want := range map[string]string{
		"run.googleapis.com/cpu-throttling":    "true",
		"run.googleapis.com/sessionAffinity":   "true",
		"run.googleapis.com/startup-cpu-boost": "true",
		"run.googleapis.com/vpc-access-egress": "private-ranges-only",
	} {
		if ann[key] != want {
			bad("annotation %s=%q, want %q", key, ann[key], want)
		}
	}
	var nics []struct {
		Network    string `json:"network"`
		Subnetwork string `json:"subnetwork"`
	}
	if err := json.Unmarshal([]byte(ann["run.googleapis.com/network-interfaces"]), &nics); err != nil || len(nics) == 0 || nics[0].Network == "" {
		bad("annotation run.googleapis.com/network-interfaces must be a JSON list with a network (Direct VPC egress): %v", err)
	}

	spec := svc.Spec.Template.Spec
	s.concurrency = int(spec.ContainerConcurrency)
	if spec.TimeoutSeconds <= 0 || spec.TimeoutSeconds > 3600 {
		bad("timeoutSeconds %d out of range 1..3600", spec.TimeoutSeconds)
	}
	if spec.ServiceAccountName == "" {
		bad("serviceAccountName is empty: the default compute account is far too powerful")
	}
	if len(spec.Containers) != 1 {
		return s, append(problems, fmt.Sprintf("want exactly 1 container, got %d", len(spec.Containers)))
	}
	c := spec.Containers[0]
	if c.Resources == nil || c.Resources.Limits["cpu"] != "1" || c.Resources.Limits["memory"] != "512Mi" {
		bad("resources.limits must be cpu \"1\", memory 512Mi")
	}
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != 8080 {
		bad("want one port 8080")
	}
	probe := func(what string, p *run.Probe, path string) {
		if p == nil || p.HttpGet == nil || p.HttpGet.Path != path {
			bad("%s must be httpGet %s", what, path)
			return
		}
		if p.TimeoutSeconds > p.PeriodSeconds && p.PeriodSeconds > 0 {
			bad("%s: timeoutSeconds must not exceed periodSeconds", what)
		}
	}
	probe("startupProbe", c.StartupProbe, "/readyz")
	probe("livenessProbe", c.LivenessProbe, "/healthz")
	for _, e := range c.Env {
		switch {
		case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil && e.ValueFrom.SecretKeyRef.Name != "":
			s.addEnv(e.Name, secretRef, bad)
		case e.ValueFrom == nil && e.Value != "":
			s.addEnv(e.Name, plainValue, bad)
		default:
			bad("env %s has neither a value nor a secretKeyRef", e.Name)
		}
	}
	return s, problems
}

func TestService(t *testing.T) {
	good := string(repoFile(t, "deploy/cloudrun/service.yaml"))
	s, p := checkService([]byte(good))
	if len(p) != 0 {
		t.Fatalf("service.yaml problems:\n%s", strings.Join(p, "\n"))
	}
	if s.maxInstances != 10 || s.concurrency != 80 || len(s.env) == 0 {
		t.Fatalf("service.yaml read as %+v", s)
	}

	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"unknown field", "      containerConcurrency: 80", "      containerConcurrency: 80\n      maxReplicas: 3", "unknown field"},
		{"unquoted annotation", `autoscaling.knative.dev/maxScale: "10"`, `autoscaling.knative.dev/maxScale: 10`, "decode"},
		{"wrong probe", "path: /readyz", "path: /healthz", "startupProbe"},
		{"always-on cpu", `run.googleapis.com/cpu-throttling: "true"`, `run.googleapis.com/cpu-throttling: "false"`, "cpu-throttling"},
		{"no vpc", `run.googleapis.com/network-interfaces: '[{"network":"default","subnetwork":"default"}]'`, `run.googleapis.com/network-interfaces: ''`, "network-interfaces"},
		{"big memory", "memory: 512Mi", "memory: 2Gi", "512Mi"},
		{"duplicate env", "            - name: LOG_FORMAT\n", "            - name: CACHE_TTL\n", "set twice"},
		{"no service account", "      serviceAccountName: nezame-run@PROJECT_ID.iam.gserviceaccount.com\n", "", "serviceAccountName"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			broken := strings.ReplaceAll(good, tc.old, tc.new)
			if broken == good {
				t.Fatalf("mutation %q did not apply: service.yaml changed, update the test", tc.old)
			}
			_, p := checkService([]byte(broken))
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tc.want, strings.Join(p, "\n"))
			}
		})
	}
}
