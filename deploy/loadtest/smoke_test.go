package loadtest

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nezame/nezame/web"
)

// buildNezame builds the real binary: the harness runs instances and the emulator as processes.
func buildNezame(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nezame")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/nezame/nezame/api")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./api: %v\n%s", err, out)
	}
	return bin
}

// TestSmoke runs the whole harness for a few seconds against real processes: two instances,
// redis-server and the emulator, with an instance stopped and the Twitter budget spent mid-run.
func TestSmoke(t *testing.T) {
	bin := buildNezame(t)
	out := filepath.Join(t.TempDir(), "results", "smoke.json")
	o, err := parseFlags([]string{"-bin", bin, "-instances", "2", "-duration", "5s", "-max-time", "15s",
		"-ramp", "3", "-cache-ttl", "2s", "-max-wait", "3s", "-app-cap", "500", "-out", out,
		// TERM (a drain): a SIGKILL may fail a POST in flight, which would make this test flaky.
		"-fault-kill-instance-at", "1500ms", "-fault-kill-instance-down", "1s", "-fault-kill-signal", "TERM",
		"-fault-budget-exhaust-at", "3500ms"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{o: o, stderr: io.Discard, rec: &recorder{}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := h.run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.Command = []string{"nezame", "loadtest"}
	var summary strings.Builder
	printSummary(&summary, r)
	t.Log(summary.String())
	if err := writeReport(o.Out, r); err != nil {
		t.Fatal(err)
	}

	// Every process the harness started is gone.
	addrs := append([]string{h.cl.emuAddr, net.JoinHostPort("127.0.0.1", strconv.Itoa(h.cl.redisPort))}, h.cl.instAddrs...)
	for _, a := range addrs {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after the run", a)
		}
	}

	// 3 users/s for 5 s.
	if r.Users < 13 || r.Users > 15 {
		t.Fatalf("users = %d, want about 15", r.Users)
	}
	if r.SignedIn != r.Users || r.Unserved != 0 || r.Served == 0 {
		t.Fatalf("users %d, signed in %d, served %d, neither %d (sign-in errors %v)", r.Users, r.SignedIn, r.Served, r.Unserved, r.SignInErrors)
	}
	// Users arriving after the budget is spent cannot be served: queued or told rate_limited.
	if r.StillQueued+r.RateLimited == 0 {
		t.Fatalf("after the budget was spent nobody waited: %+v", r)
	}
	if r.Errors5xx != 0 || r.Outage5xxOther != 0 || r.LostSessions != 0 || r.BudgetExceeded != 0 {
		t.Fatalf("5xx %d, lost sessions %d, beyond budget %d; endpoints %+v", r.Errors5xx, r.LostSessions, r.BudgetExceeded, r.Endpoints)
	}
	if r.TwitterCalls == 0 || r.TwitterCalls > r.MaxTwitterCalls {
		t.Fatalf("twitter calls %d, bound %d", r.TwitterCalls, r.MaxTwitterCalls)
	}
	if r.RedisOps <= 0 || len(r.PeakRssMiB) != 2 || r.PeakRssMiB["instance-1"] <= 0 {
		t.Fatalf("redis ops %d, peak RSS %v", r.RedisOps, r.PeakRssMiB)
	}
	names := []string{}
	for _, f := range r.Faults {
		names = append(names, f.Name)
		if strings.Contains(f.Note, "FAILED") {
			t.Errorf("fault %s: %s", f.Name, f.Note)
		}
	}
	if strings.Join(names, ",") != "kill-instance,budget-exhausted" {
		t.Fatalf("faults = %v", names)
	}
	endpoints := []string{epLogin, epConsent, epAuthorize, epCallback, epMe, epPeriods, epRevisit, epShare}
	if web.Built() { // the binary embeds web/dist only after the UI build
		endpoints = append(endpoints, epLanding)
	} else if r.Endpoints[epLanding].Count != 0 {
		t.Errorf("%d landing requests to a binary without the web UI", r.Endpoints[epLanding].Count)
	}
	for _, ep := range endpoints {
		if r.Endpoints[ep].Count == 0 {
			t.Errorf("no %s requests", ep)
		}
	}

	// The file holds the fields the issue names.
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"users", "served", "queued", "maxQueueWaitSeconds", "errors5xx", "lostSessions",
		"twitterCalls", "twitterCallsPerServedUser", "budgetExceeded", "endpoints", "peakRssMiB", "redisOps", "command", "config"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
}
