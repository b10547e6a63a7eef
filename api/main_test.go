package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/periods"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/twitter/twittertest"
)

// TestMain lets the test binary stand in for the nezame binary: with NEZAME_TEST_ARGS set it
// runs `nezame <args>` and exits, so tests can start real service and emulator processes.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("NEZAME_TEST_ARGS"); ok {
		ctx, stop := signalContext()
		defer stop()
		if err := run(ctx, strings.Fields(args), os.Getenv, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "nezame:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type proc struct {
	cmd  *exec.Cmd
	base string
	logs *strings.Builder
}

// startProc runs the test binary as `nezame args...` with env, and waits until readyPath answers 200.
func startProc(t *testing.T, port int, args string, env map[string]string, readyPath string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NEZAME_TEST_ARGS="+args)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{cmd: cmd, base: fmt.Sprintf("http://127.0.0.1:%d", port), logs: &strings.Builder{}}
	var mu sync.Mutex
	w := writerFunc(func(b []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return p.logs.Write(b) })
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			mu.Lock()
			t.Logf("logs of %s:\n%.3000s", p.base, p.logs.String())
			mu.Unlock()
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(p.base + readyPath)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %s not ready: %v\n%s", args, p.base, err, p.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// onInstance points u at another instance, as a load balancer would route the request.
func onInstance(u string, p *proc) string {
	parsed, _ := url.Parse(u)
	target, _ := url.Parse(p.base)
	parsed.Host = target.Host
	return parsed.String()
}

func mustGet(t *testing.T, c *http.Client, u string) *http.Response {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	return resp
}

// pollPeriods asks for u as the UI does: again after a 202 (fetching or queued), until another
// answer (0 when the request fails, 202 after 30 s).
func pollPeriods(c *http.Client, u string) int {
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := c.Get(u)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted || time.Now().After(deadline) {
			return resp.StatusCode
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestThreeInstancesShareEverything(t *testing.T) {
	rs := redistest.Start(t)
	emuPort := freePort(t)
	emu := startProc(t, emuPort, fmt.Sprintf("emulator -addr 127.0.0.1:%d -consumer-key k -consumer-secret s -seed 3", emuPort),
		nil, "/_emulator/stats")

	ports := []int{freePort(t), freePort(t), freePort(t)}
	public := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	var inst []*proc
	for _, port := range ports {
		inst = append(inst, startProc(t, port, "", map[string]string{
			"PORT": fmt.Sprint(port), "PUBLIC_URL": public, "REDIS_URL": rs.URL(),
			"SESSION_SECRET":       "an-example-secret-that-is-32-bytes-long!",
			"TWITTER_CONSUMER_KEY": "k", "TWITTER_CONSUMER_SECRET": "s", "TWITTER_API_BASE": emu.base,
		}, "/readyz"))
	}
	a, b, c := inst[0], inst[1], inst[2]
	jar, _ := cookiejar.New(nil) // cookies ignore ports: one jar is one browser behind one host
	br := noRedirect(jar)

	// Sign-in starts on A...
	resp := mustGet(t, br, a.base+"/auth/login")
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || !strings.HasPrefix(loc.String(), emu.base+"/oauth/authenticate") {
		t.Fatalf("login = %d -> %s", resp.StatusCode, loc)
	}
	consent, err := noRedirect(nil).PostForm(emu.base+"/oauth/authenticate",
		url.Values{"oauth_token": {loc.Query().Get("oauth_token")}, "persona": {"night_owl"}})
	if err != nil {
		t.Fatal(err)
	}
	consent.Body.Close()
	// ...the callback lands on B...
	resp = mustGet(t, br, onInstance(consent.Header.Get("Location"), b))
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "/" {
		t.Fatalf("callback on B = %d -> %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// ...and /api/periods is served by C (202 fetching while the first read runs).
	if code := pollPeriods(br, c.base+"/api/periods?tz=Asia/Tokyo"); code != 200 {
		t.Fatalf("periods on C = %d", code)
	}

	// A dies; B still serves the session.
	_ = a.cmd.Process.Signal(syscall.SIGKILL)
	if resp := mustGet(t, br, b.base+"/api/me"); resp.StatusCode != 200 {
		t.Fatalf("me on B after A died = %d", resp.StatusCode)
	}

	// 50 concurrent /api/periods for one (new) user across B and C cause one timeline fetch.
	jar2, _ := cookiejar.New(nil)
	br2 := noRedirect(jar2)
	resp = mustGet(t, br2, b.base+"/auth/login")
	loc, _ = url.Parse(resp.Header.Get("Location"))
	consent, _ = noRedirect(nil).PostForm(emu.base+"/oauth/authenticate",
		url.Values{"oauth_token": {loc.Query().Get("oauth_token")}, "persona": {"early_bird"}})
	consent.Body.Close()
	if resp := mustGet(t, br2, onInstance(consent.Header.Get("Location"), c)); resp.Header.Get("Location") != "/" {
		t.Fatalf("second sign-in failed: %s", resp.Header.Get("Location"))
	}
	before := twittertest.Calls(t, emu.base, "user_timeline")
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := []*proc{b, c}[i%2]
			code := pollPeriods(br2, target.base+"/api/periods?tz=Europe/London")
			mu.Lock()
			defer mu.Unlock()
			codes[code]++
		}()
	}
	wg.Wait()
	if codes[200] != 50 {
		t.Fatalf("50 concurrent /api/periods: status counts %v", codes)
	}
	calls := twittertest.Calls(t, emu.base, "user_timeline") - before
	if calls < 1 || calls > 6 { // one fetch of early_bird's window is ≤ 6 pages; 50 fetches would be ≥ 50
		t.Fatalf("50 concurrent requests on two instances made %d timeline calls; want one fetch", calls)
	}

	// Logout on C ends the first user's session everywhere.
	req, _ := http.NewRequest("POST", c.base+"/auth/logout", nil)
	req.Header.Set("Origin", public)
	if resp, err := br.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("logout on C: %v %v", resp, err)
	}
	for _, p := range []*proc{b, c} {
		if resp := mustGet(t, br, p.base+"/api/me"); resp.StatusCode != 401 {
			t.Fatalf("me on %s after logout = %d", p.base, resp.StatusCode)
		}
	}
	// The other user is unaffected.
	if resp := mustGet(t, br2, b.base+"/api/me"); resp.StatusCode != 200 {
		t.Fatalf("second user's session on B = %d", resp.StatusCode)
	}
}

func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	port := freePort(t)
	p := startProc(t, port, "", map[string]string{"PORT": fmt.Sprint(port)}, "/readyz")
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p.logs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGTERM (Cloud Run would SIGKILL it)")
	}
	if !strings.Contains(p.logs.String(), "stopped cleanly") {
		t.Fatalf("no clean-stop log after %v:\n%s", time.Since(start), p.logs)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	err := run(context.Background(), nil, func(k string) string {
		return map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0", "SESSION_SECRET": "short", "CACHE_TTL": "soon"}[k]
	}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "SESSION_SECRET") || !strings.Contains(err.Error(), "CACHE_TTL") {
		t.Fatalf("want errors naming SESSION_SECRET and CACHE_TTL, got %v", err)
	}
	if err := run(context.Background(), []string{"bogus"}, os.Getenv, io.Discard); err == nil {
		t.Fatal("unknown subcommand accepted")
	}
}

// A read admitted by the waiting room keeps its slot for as long as it may run (FetchBound):
// with a slot shorter than that, a slow but alive read lost it and a second read got in beside
// it, over capacity.
func TestWaitingRoomSlotOutlivesTheLongestRead(t *testing.T) {
	rs := redistest.Start(t)
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	for _, pcfg := range []periods.Config{{}, {FetchBound: 5 * time.Minute}} {
		room := waitingRoom(1, pcfg, rs.Client(), clock, slog.New(slog.DiscardHandler))
		release, err := room.Admit(context.Background(), "slow")
		if err != nil {
			t.Fatal(err)
		}
		bound := pcfg.FetchBound
		if bound == 0 {
			bound = 90 * time.Second // periods' default
		}
		mu.Lock()
		now = now.Add(bound) // the slow read is still running, at its bound
		mu.Unlock()
		if _, err := room.Admit(context.Background(), "next"); err == nil {
			t.Fatalf("FetchBound %v: a second read was admitted beside the running one at capacity 1", bound)
		}
		release()
		if rel, err := room.Admit(context.Background(), "next"); err != nil {
			t.Fatalf("FetchBound %v: not admitted after the release: %v", bound, err)
		} else {
			rel()
		}
	}
}
