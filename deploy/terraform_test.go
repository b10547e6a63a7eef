package deploy

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// tfModule is the parsed deploy/terraform directory: blocks of every file, and the variables'
// defaults so that `var.x` references can be resolved.
type tfModule struct {
	blocks    []*hclsyntax.Block
	variables map[string]*hclsyntax.Block
}

func parseTerraform(files map[string][]byte) (tfModule, error) {
	m := tfModule{variables: map[string]*hclsyntax.Block{}}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		f, diags := hclsyntax.ParseConfig(files[name], name, hcl.Pos{Line: 1, Column: 1})
		if diags.HasErrors() {
			return m, fmt.Errorf("parse %s: %w", name, diags)
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			m.blocks = append(m.blocks, b)
			if b.Type == "variable" && len(b.Labels) == 1 {
				m.variables[b.Labels[0]] = b
			}
		}
	}
	return m, nil
}

// resources returns the resource blocks of one type.
func (m tfModule) resources(typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range m.blocks {
		if b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == typ {
			out = append(out, b)
		}
	}
	return out
}

// child returns the nested blocks of b named typ.
func child(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	if b == nil {
		return nil
	}
	for _, c := range b.Body.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

func first(bs []*hclsyntax.Block) *hclsyntax.Block {
	if len(bs) == 0 {
		return nil
	}
	return bs[0]
}

// value evaluates attribute name of b: a literal, or var.x resolved to the variable's default.
func (m tfModule) value(b *hclsyntax.Block, name string) (cty.Value, error) {
	if b == nil {
		return cty.NilVal, errors.New("block missing")
	}
	attr, ok := b.Body.Attributes[name]
	if !ok {
		return cty.NilVal, fmt.Errorf("attribute %s missing", name)
	}
	if v, diags := attr.Expr.Value(nil); !diags.HasErrors() {
		return v, nil
	}
	trav, diags := hcl.AbsTraversalForExpr(attr.Expr)
	if diags.HasErrors() || len(trav) != 2 || trav.RootName() != "var" {
		return cty.NilVal, fmt.Errorf("attribute %s is neither a literal nor var.x", name)
	}
	vname := trav[1].(hcl.TraverseAttr).Name
	vb, ok := m.variables[vname]
	if !ok {
		return cty.NilVal, fmt.Errorf("attribute %s: variable %q not declared", name, vname)
	}
	return m.value(vb, "default")
}

func (m tfModule) intValue(b *hclsyntax.Block, name string) (int, error) {
	v, err := m.value(b, name)
	if err != nil {
		return 0, err
	}
	if v.Type() != cty.Number {
		return 0, fmt.Errorf("attribute %s is %s, want a number", name, v.Type().FriendlyName())
	}
	n, acc := v.AsBigFloat().Int64()
	if acc != big.Exact {
		return 0, fmt.Errorf("attribute %s is not a whole number", name)
	}
	return int(n), nil
}

// checkTerraform reads the module's Cloud Run service and the other required resources and
// returns the service's settings and every problem found.
func checkTerraform(files map[string][]byte) (settings, []string) {
	s := settings{source: "terraform"}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	m, err := parseTerraform(files)
	if err != nil {
		return s, []string{err.Error()}
	}
	for typ, min := range map[string]int{
		"google_cloud_run_v2_service":             1,
		"google_redis_instance":                   1,
		"google_secret_manager_secret":            1,
		"google_secret_manager_secret_iam_member": 1,
		"google_monitoring_alert_policy":          7,
		"google_monitoring_uptime_check_config":   1,
		"google_logging_metric":                   1,
		"google_billing_budget":                   1,
		"google_monitoring_notification_channel":  1,
	} {
		if n := len(m.resources(typ)); n < min {
			bad("want at least %d %s, got %d", min, typ, n)
		}
	}

	runs := m.resources("google_cloud_run_v2_service")
	if len(runs) != 1 {
		return s, append(problems, fmt.Sprintf("want exactly one google_cloud_run_v2_service, got %d", len(runs)))
	}
	tmpl := first(child(runs[0], "template"))
	scaling := first(child(tmpl, "scaling"))
	num := func(b *hclsyntax.Block, name string) int {
		n, err := m.intValue(b, name)
		if err != nil {
			bad("cloud run %s: %v", name, err)
		}
		return n
	}
	s.minInstances = num(scaling, "min_instance_count")
	s.maxInstances = num(scaling, "max_instance_count")
	s.concurrency = num(tmpl, "max_instance_request_concurrency")
	if v, err := m.value(tmpl, "session_affinity"); err != nil || v != cty.True {
		bad("template.session_affinity must be true (the polls of a first view reach its background read)")
	}

	vpc := first(child(tmpl, "vpc_access"))
	if v, err := m.value(vpc, "egress"); err != nil || v.Type() != cty.String || v.AsString() != "PRIVATE_RANGES_ONLY" {
		bad("template.vpc_access.egress must be PRIVATE_RANGES_ONLY")
	}
	if len(child(vpc, "network_interfaces")) == 0 {
		bad("template.vpc_access has no network_interfaces (Direct VPC egress)")
	}

	containers := child(tmpl, "containers")
	if len(containers) != 1 {
		return s, append(problems, fmt.Sprintf("want exactly one containers block, got %d", len(containers)))
	}
	c := containers[0]
	res := first(child(c, "resources"))
	for _, name := range []string{"cpu_idle", "startup_cpu_boost"} {
		if v, err := m.value(res, name); err != nil || v != cty.True {
			bad("containers.resources.%s must be true", name)
		}
	}
	for probe, path := range map[string]string{"startup_probe": "/readyz", "liveness_probe": "/healthz"} {
		get := first(child(first(child(c, probe)), "http_get"))
		if v, err := m.value(get, "path"); err != nil || v.Type() != cty.String || v.AsString() != path {
			bad("%s must be http_get %s", probe, path)
		}
	}
	for _, env := range child(c, "env") {
		v, err := m.value(env, "name")
		if err != nil || v.Type() != cty.String {
			bad("env block without a literal name: %v", err)
			continue
		}
		_, hasValue := env.Body.Attributes["value"]
		ref := first(child(first(child(env, "value_source")), "secret_key_ref"))
		switch {
		case ref != nil && !hasValue:
			s.addEnv(v.AsString(), secretRef, bad)
		case ref == nil && hasValue:
			s.addEnv(v.AsString(), plainValue, bad)
		default:
			bad("env %s needs exactly one of value or value_source.secret_key_ref", v.AsString())
		}
	}

	redis := first(m.resources("google_redis_instance"))
	if v, err := m.value(redis, "redis_configs"); err != nil || !v.Type().IsObjectType() || !v.Type().HasAttribute("maxmemory-policy") || v.GetAttr("maxmemory-policy").AsString() != "volatile-lru" {
		bad("google_redis_instance.redis_configs must set maxmemory-policy = volatile-lru")
	}
	// Sessions live in Redis: a failover or a restart must not sign everyone out.
	if v, err := m.value(redis, "tier"); err != nil || v.Type() != cty.String || v.AsString() != "STANDARD_HA" {
		bad("google_redis_instance.tier must be STANDARD_HA (a replica with automatic failover keeps sessions)")
	}
	persistence := first(child(redis, "persistence_config"))
	if v, err := m.value(persistence, "persistence_mode"); err != nil || v.Type() != cty.String || v.AsString() != "RDB" {
		bad("google_redis_instance.persistence_config must set persistence_mode = RDB")
	}
	if v, err := m.value(persistence, "rdb_snapshot_period"); err != nil || v.Type() != cty.String || v.AsString() == "" {
		bad("google_redis_instance.persistence_config must set rdb_snapshot_period")
	}
	return s, problems
}

// terraformFiles reads every .tf file of deploy/terraform.
func terraformFiles(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("terraform", "*.tf"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no terraform files: %v", err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	return files
}

func TestTerraform(t *testing.T) {
	good := terraformFiles(t)
	s, p := checkTerraform(good)
	if len(p) != 0 {
		t.Fatalf("terraform problems:\n%s", strings.Join(p, "\n"))
	}
	if s.maxInstances != 10 || s.concurrency != 80 || len(s.env) == 0 {
		t.Fatalf("terraform read as %+v", s)
	}

	tests := []struct {
		name     string
		file     string
		old, new string
		want     string
	}{
		{"syntax error", "run.tf", "template {", "template {{", "parse run.tf"},
		{"cap from undeclared var", "run.tf", "var.max_instances", "var.max_instance", "not declared"},
		{"always-on cpu", "run.tf", "cpu_idle          = true", "cpu_idle          = false", "cpu_idle"},
		{"no direct vpc egress", "run.tf", "network_interfaces {", "dummy {", "network_interfaces"},
		{"allkeys eviction", "redis.tf", `"volatile-lru"`, `"allkeys-lru"`, "volatile-lru"},
		{"no replica", "redis.tf", `"STANDARD_HA"`, `"BASIC"`, "STANDARD_HA"},
		{"no persistence", "redis.tf", `persistence_mode    = "RDB"`, `persistence_mode    = "DISABLED"`, "persistence_mode = RDB"},
		{"persistence block gone", "redis.tf", "persistence_config {", "dummy {", "persistence_mode = RDB"},
		{"secret as value", "run.tf", "name = \"SESSION_SECRET\"\n        value_source {", "name  = \"SESSION_SECRET\"\n        value = \"x\"\n        value_source {", "exactly one of value"},
		{"wrong liveness", "run.tf", `path = "/healthz"`, `path = "/readyz"`, "liveness_probe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			broken := map[string][]byte{}
			for k, v := range good {
				broken[k] = v
			}
			b := strings.ReplaceAll(string(good[tc.file]), tc.old, tc.new)
			if b == string(good[tc.file]) {
				t.Fatalf("mutation %q did not apply to %s; update the test", tc.old, tc.file)
			}
			broken[tc.file] = []byte(b)
			_, p := checkTerraform(broken)
			if !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("want a problem containing %q, got:\n%s", tc.want, strings.Join(p, "\n"))
			}
		})
	}
}

// terraformFmtCheck runs `terraform fmt -check -recursive` on dir and returns its complaint.
func terraformFmtCheck(bin, dir string) error {
	cmd := exec.Command(bin, "fmt", "-check", "-recursive", "-list=true", dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("terraform fmt -check %s: %w\n%s", dir, err, out)
	}
	return nil
}

func TestTerraformFmt(t *testing.T) {
	bin, err := exec.LookPath("terraform")
	if err != nil {
		// Not a skip: the HCL checks above still ran; only the formatter is unavailable.
		t.Log("terraform is not on PATH; `terraform fmt -check` not run (install terraform to enable it)")
		return
	}
	if err := terraformFmtCheck(bin, "terraform"); err != nil {
		t.Fatalf("deploy/terraform is not formatted (run terraform fmt -recursive deploy/terraform): %v", err)
	}

	// The check itself must be able to fail.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.tf"), []byte("variable \"x\" {\ndefault=1\n  type = number\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := terraformFmtCheck(bin, dir); err == nil {
		t.Fatal("terraform fmt -check accepted an unformatted file")
	}
}
