// Command hotpath measures the hot path of the service: a cached GET /api/periods against GET
// /healthz (the ceiling: a handler that touches nothing) in the same run, with wrk, against a
// real binary and a real redis-server on loopback. The target (README "Benchmarks") is a ratio,
// which survives a busy machine better than req/s: cached /api/periods at ≥ 50% of /healthz's
// req/s, p99 ≤ 10 ms.
//
//	go run ./deploy/hotpath -bin bin/nezame          (make bench runs it)
//
// It starts redis-server and the binary in demo mode (the built-in emulator), signs a demo
// persona in through the real OAuth flow, waits for the first analysis, then runs wrk on each
// path in turn, -runs times, and prints each run and the medians.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	bin, tz, persona     string
	threads, conns, runs int
	duration             time.Duration
	minRatio             float64
	maxP99               time.Duration
	strict               bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/nezame", "the nezame binary to measure")
	flag.StringVar(&o.tz, "tz", "Asia/Tokyo", "the zone of the analysis asked for")
	flag.StringVar(&o.persona, "persona", "night_owl", "the demo persona signed in")
	flag.IntVar(&o.threads, "t", 2, "wrk threads")
	flag.IntVar(&o.conns, "c", 32, "wrk connections")
	flag.IntVar(&o.runs, "runs", 3, "runs of both paths; medians are reported")
	flag.DurationVar(&o.duration, "d", 10*time.Second, "wrk duration per path and run")
	flag.Float64Var(&o.minRatio, "min-ratio", 0.5, "target: /api/periods req/s over /healthz req/s")
	flag.DurationVar(&o.maxP99, "max-p99", 10*time.Millisecond, "target: /api/periods p99")
	flag.BoolVar(&o.strict, "strict", false, "exit 1 when a target is missed (a busy machine misses them)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "hotpath:", err)
		os.Exit(1)
	}
}

// result is one wrk run of one path: throughput, latency, and the CPU the service and Redis
// spent per request (a busy machine distorts these far less than req/s).
type result struct {
	rps              float64
	p99              time.Duration
	appCPU, redisCPU time.Duration // per request
}

func run(ctx context.Context, o options) error {
	for _, tool := range []string{"wrk", "redis-server", o.bin} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found (make bench installs wrk and builds bin/nezame): %w", tool, err)
		}
	}
	dir, err := os.MkdirTemp("", "hotpath")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	redisPort, appPort := freePort(), freePort()
	redis := exec.CommandContext(ctx, "redis-server", "--port", strconv.Itoa(redisPort), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--logfile", filepath.Join(dir, "redis.log"))
	if err := start(redis); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	defer stopProc(redis)
	base := fmt.Sprintf("http://127.0.0.1:%d", appPort)
	app := exec.CommandContext(ctx, o.bin)
	app.Env = append(os.Environ(), "PORT="+strconv.Itoa(appPort), "PUBLIC_URL="+base,
		fmt.Sprintf("REDIS_URL=redis://127.0.0.1:%d/0", redisPort), "SESSION_SECRET=hotpath-benchmark-secret-of-32-bytes!",
		"TWITTER_CONSUMER_KEY=", "TWITTER_CONSUMER_SECRET=", "LOG_FORMAT=text")
	logFile, err := os.Create(filepath.Join(dir, "nezame.log"))
	if err != nil {
		return err
	}
	app.Stdout, app.Stderr = logFile, logFile
	if err := start(app); err != nil {
		return fmt.Errorf("start %s: %w", o.bin, err)
	}
	defer stopProc(app)
	if err := waitReady(ctx, base+"/readyz"); err != nil {
		log, _ := os.ReadFile(logFile.Name())
		return fmt.Errorf("%w\n%s", err, log)
	}
	cookie, err := signIn(ctx, base, o.persona)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	periods := base + "/api/periods?tz=" + url.QueryEscape(o.tz)
	if err := waitAnalysis(ctx, periods, cookie); err != nil {
		return err
	}

	fmt.Printf("wrk -t%d -c%d -d%s, %s and redis-server on loopback, %d runs (GOMAXPROCS of the machine: %d cores)\n",
		o.threads, o.conns, o.duration, o.bin, o.runs, numCPU())
	fmt.Printf("%-4s %14s %10s %16s %10s %7s   %s\n", "run", "/healthz rps", "p99", "/api/periods rps", "p99", "ratio",
		"CPU per request, nezame+redis: /healthz, /api/periods")
	procs := []*exec.Cmd{app, redis}
	var ratios []float64
	var p99s []time.Duration
	for i := 1; i <= o.runs; i++ {
		h, err := wrk(ctx, o, base+"/healthz", "", procs)
		if err != nil {
			return err
		}
		p, err := wrk(ctx, o, periods, cookie, procs)
		if err != nil {
			return err
		}
		ratio := p.rps / h.rps
		ratios, p99s = append(ratios, ratio), append(p99s, p.p99)
		fmt.Printf("%-4d %14.0f %10s %16.0f %10s %6.0f%%   %s+%s, %s+%s\n", i, h.rps, h.p99.Round(10*time.Microsecond), p.rps,
			p.p99.Round(10*time.Microsecond), 100*ratio, us(h.appCPU), us(h.redisCPU), us(p.appCPU), us(p.redisCPU))
	}
	ratio, p99 := median(ratios), median(p99s)
	ok := ratio >= o.minRatio && p99 <= o.maxP99
	fmt.Printf("median: /api/periods at %.0f%% of /healthz (target ≥ %.0f%%), p99 %s (target ≤ %s): %s\n",
		100*ratio, 100*o.minRatio, p99, o.maxP99, map[bool]string{true: "met", false: "MISSED"}[ok])
	if !ok && o.strict {
		return errors.New("targets missed")
	}
	return nil
}

// wrk runs wrk on u (with the session cookie, and accepting gzip as browsers do) and reads its
// req/s and p99, and the CPU procs (the service, Redis) spent meanwhile.
func wrk(ctx context.Context, o options, u, cookie string, procs []*exec.Cmd) (result, error) {
	args := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.conns), "-d", o.duration.String(), "--latency",
		"-H", "Accept-Encoding: gzip, deflate, br"}
	if cookie != "" {
		args = append(args, "-H", "Cookie: "+cookie)
	}
	before := cpuTimes(procs)
	out, err := exec.CommandContext(ctx, "wrk", append(args, u)...).CombinedOutput()
	after := cpuTimes(procs)
	if err != nil {
		return result{}, fmt.Errorf("wrk %s: %w\n%s", u, err, out)
	}
	text := string(out)
	if m := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`).FindStringSubmatch(text); m != nil {
		return result{}, fmt.Errorf("wrk %s: %s answers were not 2xx: the measurement is not of the cached path\n%s", u, m[1], text)
	}
	rps := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`).FindStringSubmatch(text)
	p99 := regexp.MustCompile(`\s99%\s+([0-9.]+)(us|ms|s)`).FindStringSubmatch(text)
	if rps == nil || p99 == nil {
		return result{}, fmt.Errorf("wrk %s: cannot read its output:\n%s", u, text)
	}
	r := result{}
	r.rps, _ = strconv.ParseFloat(rps[1], 64)
	v, _ := strconv.ParseFloat(p99[1], 64)
	r.p99 = time.Duration(v * float64(map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[p99[2]]))
	if n := r.rps * o.duration.Seconds(); n > 0 {
		r.appCPU = time.Duration(float64(after[0]-before[0]) / n)
		r.redisCPU = time.Duration(float64(after[1]-before[1]) / n)
	}
	return r, nil
}

// cpuTimes reads each process's user+system CPU time from /proc (Linux); 0 elsewhere.
func cpuTimes(procs []*exec.Cmd) []time.Duration {
	out := make([]time.Duration, len(procs))
	for i, p := range procs {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.Process.Pid))
		if err != nil {
			continue
		}
		// Fields after the command name (which may hold spaces) start at the last ')'.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		out[i] = time.Duration(utime+stime) * time.Second / clockTicks
	}
	return out
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on Linux.
const clockTicks = 100

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }

// signIn runs the real sign-in against the mounted emulator and returns the session cookie.
func signIn(ctx context.Context, base, persona string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	step := func(method, u string, form url.Values) (*http.Response, error) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequestWithContext(ctx, method, u, body)
		if err != nil {
			return nil, err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			return nil, fmt.Errorf("%s %s = %d", method, u, resp.StatusCode)
		}
		return resp, nil
	}
	login, err := step("GET", base+"/auth/login", nil)
	if err != nil {
		return "", err
	}
	authURL, err := url.Parse(login.Header.Get("Location"))
	if err != nil {
		return "", err
	}
	token := authURL.Query().Get("oauth_token")
	authURL.RawQuery = ""
	consent, err := step("POST", authURL.String(), url.Values{"oauth_token": {token}, "persona": {persona}})
	if err != nil {
		return "", err
	}
	if _, err := step("GET", consent.Header.Get("Location"), nil); err != nil {
		return "", err
	}
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "nezame_session" {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", errors.New("no session cookie after the callback")
}

// pollTimeout bounds each readiness poll, so one request that hangs cannot hold a poll loop
// past its deadline.
const pollTimeout = 5 * time.Second

// waitAnalysis polls until the first analysis is stored (the first view answers 202 fetching).
func waitAnalysis(ctx context.Context, u, cookie string) error {
	client := &http.Client{Timeout: pollTimeout}
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		req.Header.Set("Cookie", cookie)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			if resp.StatusCode != http.StatusAccepted {
				return fmt.Errorf("GET %s = %d", u, resp.StatusCode)
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no analysis 30 s after sign-in (%v)", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func waitReady(ctx context.Context, u string) error {
	client := &http.Client{Timeout: pollTimeout}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after 15 s", u)
}

func start(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd.Start()
}

// stopProc ends a process this command started, by its id.
func stopProc(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func numCPU() int {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	for s := bufio.NewScanner(f); s.Scan(); {
		if strings.HasPrefix(s.Text(), "processor") {
			n++
		}
	}
	return n
}

func median[T float64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
