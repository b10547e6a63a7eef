// Package loadtest is nezame's trend-day load harness. It starts N service instances
// behind a round-robin reverse proxy, one shared redis-server and the Twitter emulator as a
// separate process with a small app budget (or is pointed at a running service with -target),
// then drives thousands of virtual users through the whole flow — landing, sign-in through the
// emulator's consent form, /api/periods until served (honouring the waiting room), a share, and
// revisits within and after CACHE_TTL — with an arrival rate shaped like a trend. Faults can be
// injected mid-run: Redis restarted, an instance killed, emulator latency and 5xx, the Twitter
// budget exhausted. It writes a JSON report and prints a summary with the targets met or missed.
//
// Everything is on loopback, every process it starts is killed when it returns, and it stops by
// itself (-duration of arrivals, then at most -max-time in all).
package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Main runs the harness: `nezame loadtest [flags]`. It returns an error when the run could not
// be made; a run that misses targets still writes its report and returns nil, because the report
// is the result (the summary marks each target PASS or FAIL).
func Main(ctx context.Context, args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	r, err := run(ctx, o, append([]string{"nezame", "loadtest"}, args...), stderr)
	if err != nil {
		return err
	}
	printSummary(stderr, r)
	return nil
}

// run makes one run and writes the report to o.Out.
func run(ctx context.Context, o options, command []string, stderr io.Writer) (Report, error) {
	h := &harness{o: o, stderr: stderr, rec: &recorder{}}
	rep, err := h.run(ctx)
	if err != nil {
		return Report{}, err
	}
	rep.Command = command
	if err := writeReport(o.Out, rep); err != nil {
		return rep, err
	}
	return rep, nil
}

func writeReport(path string, r Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create report directory: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// harness is one run.
type harness struct {
	o      options
	stderr io.Writer
	rec    *recorder
	cl     *cluster // nil with -target
	px     *proxy
	start  time.Time

	active, peakActive atomic.Int64 // users between arrival and leaving

	faultMu sync.Mutex
	faults  []FaultEvent

	redisOpsMu   sync.Mutex
	redisOpsBase int64 // commands counted by redis processes already gone
	redisOpsFrom int64 // the live process's counter when measuring began
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(h.stderr, "loadtest: "+format+"\n", args...)
}

func (h *harness) run(parent context.Context) (Report, error) {
	o := h.o
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	public, emuURL, redisURL := strings.TrimRight(o.Target, "/"), strings.TrimRight(o.EmulatorURL, "/"), o.RedisURL
	if o.Target == "" {
		stop, err := h.startCluster(ctx)
		if err != nil {
			return Report{}, err
		}
		defer stop()
		public, emuURL, redisURL = h.o.Target, "http://"+h.cl.emuAddr, h.cl.redisURL()
		h.o.Target = ""
	}
	h.o.EmulatorURL, h.o.RedisURL = emuURL, redisURL
	var rdb *redis.Client
	if redisURL != "" {
		opt, err := redis.ParseURL(redisURL)
		if err != nil {
			return Report{}, fmt.Errorf("parse redis URL: %w", err)
		}
		opt.MaxRetries = 1
		rdb = redis.NewClient(opt)
		defer rdb.Close()
	}
	emu := &emulatorAdmin{base: emuURL, hc: &http.Client{Timeout: 5 * time.Second}}
	if err := emu.post(ctx, "/_emulator/reset", "{}"); err != nil {
		return Report{}, err
	}
	h.redisOpsFrom = redisCommands(ctx, rdb)
	webUI, err := landingServed(ctx, public)
	if err != nil {
		return Report{}, err
	}
	if !webUI {
		h.logf("the binary was built without the web UI (web/dist): users skip the landing page")
	}

	arrivals := o.ramp.arrivals(o.duration, o.MaxUsers)
	h.logf("%d users over %s (ramp %s/s), %d instances, budget %d, CACHE_TTL %s; public %s",
		len(arrivals), o.duration, o.ramp, o.Instances, o.AppCap, o.cacheTTL, public)

	tr := &http.Transport{MaxIdleConns: 2048, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	h.start = time.Now()
	d := &driver{public: public, emulator: emuURL, start: h.start, cfg: h.o, rec: h.rec, tr: tr,
		refreshBy: o.duration + 5*time.Second, skipLanding: !webUI}

	runCtx, stopRun := context.WithTimeout(ctx, o.maxTime)
	defer stopRun()
	if h.cl != nil {
		go h.cl.sampleRSS(runCtx, 250*time.Millisecond)
	}
	var faultsWG sync.WaitGroup
	h.scheduleFaults(runCtx, &faultsWG, emu, rdb)

	sem := make(chan struct{}, o.MaxInFlight)
	var users sync.WaitGroup
arrive:
	for i, at := range arrivals {
		if !sleep(runCtx, time.Until(h.start.Add(at))) {
			break
		}
		select {
		case sem <- struct{}{}:
		case <-runCtx.Done():
			break arrive
		}
		u := d.newUser(i)
		h.rec.addUser(u.res)
		users.Go(func() {
			defer func() { <-sem }()
			n := h.active.Add(1)
			for {
				peak := h.peakActive.Load()
				if n <= peak || h.peakActive.CompareAndSwap(peak, n) {
					break
				}
			}
			defer h.active.Add(-1)
			u.run(runCtx)
		})
	}
	done := make(chan struct{})
	go func() { users.Wait(); close(done) }()
	select {
	case <-done:
	case <-runCtx.Done():
		h.logf("-max-time %s reached: stopping the %d users still active (most are polling the waiting room)", o.maxTime, h.active.Load())
		<-done
	}
	stopRun()
	faultsWG.Wait()
	wall := time.Since(h.start)

	// Let in-flight fetches land in the emulator's counters before reading them.
	tw, err := emu.timelineStats(ctx)
	if err != nil {
		return Report{}, err
	}
	samples, results := h.rec.snapshot()
	h.faultMu.Lock()
	faults := append([]FaultEvent(nil), h.faults...)
	h.faultMu.Unlock()
	rep := build(h.o.RunConfig, samples, results, faults, tw)
	rep.StartedAt = h.start.UTC()
	rep.WallSeconds = round1(wall.Seconds())
	rep.RedisOps = h.redisOps(ctx, rdb)
	rep.PeakActiveUsers = int(h.peakActive.Load())
	if h.cl != nil {
		rep.PeakRssMiB = h.cl.peakRSSMiB()
		rep.InstancePanics = h.cl.countPanics()
	}
	if rep.Faults == nil {
		rep.Faults = []FaultEvent{}
	}
	checkTargets(&rep)
	return rep, nil
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

// startCluster binds the proxy, starts the processes behind it and serves the proxy. The
// returned stop kills everything.
func (h *harness) startCluster(ctx context.Context) (func(), error) {
	o := h.o
	bin := o.Bin
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find own executable (pass -bin): %w", err)
		}
		bin = exe
	}
	h.o.Bin = bin
	dir, err := os.MkdirTemp("", "nezame-loadtest-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	logDir := o.logDir
	if logDir == "" {
		logDir = dir
	} else if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, fmt.Errorf("log dir: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("listen for the proxy: %w", err)
	}
	public := "http://" + ln.Addr().String()
	addrs := make([]string, o.Instances)
	for i := range addrs {
		p, err := freePort()
		if err != nil {
			ln.Close()
			os.RemoveAll(dir)
			return nil, err
		}
		addrs[i] = fmt.Sprintf("127.0.0.1:%d", p)
	}
	t0 := time.Now()
	cl, err := newCluster(ctx, o, bin, dir, logDir, addrs, public)
	if err != nil {
		ln.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	h.logf("started redis, emulator and %d instances in %s (logs in %s)", o.Instances, time.Since(t0).Round(time.Millisecond), logDir)
	h.cl = cl
	h.px = newProxy(addrs, o.Concurrency)
	srv := &http.Server{Handler: h.px, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	h.o.Target = public
	return func() {
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		cl.close()
		os.RemoveAll(dir)
	}, nil
}

// redisCommands reads INFO stats total_commands_processed (0 when unavailable).
func redisCommands(ctx context.Context, rdb *redis.Client) int64 {
	if rdb == nil {
		return 0
	}
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	info, err := rdb.Info(cctx, "stats").Result()
	if err != nil {
		return 0
	}
	return parseCommandsProcessed(info)
}

func parseCommandsProcessed(info string) int64 {
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "total_commands_processed:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// redisOps is the commands processed since the run began, across Redis restarts.
func (h *harness) redisOps(ctx context.Context, rdb *redis.Client) int64 {
	h.redisOpsMu.Lock()
	defer h.redisOpsMu.Unlock()
	return h.redisOpsBase + redisCommands(ctx, rdb) - h.redisOpsFrom
}

// emulatorAdmin talks to the emulator's unsigned admin endpoints.
type emulatorAdmin struct {
	base string
	hc   *http.Client
}

func (e *emulatorAdmin) post(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+path, strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("emulator %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.hc.Do(req)
	if err != nil {
		return fmt.Errorf("emulator %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("emulator %s: %d %s", path, resp.StatusCode, b)
	}
	return nil
}

// timelineStats sums the timeline endpoints (v1.1 and v2) of GET /_emulator/stats by status.
func (e *emulatorAdmin) timelineStats(ctx context.Context) (twitterStats, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/_emulator/stats", nil)
	if err != nil {
		return twitterStats{}, fmt.Errorf("emulator stats: %w", err)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		return twitterStats{}, fmt.Errorf("emulator stats: %w", err)
	}
	defer resp.Body.Close()
	var s struct {
		Endpoints map[string]map[string]int `json:"endpoints"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return twitterStats{}, fmt.Errorf("decode emulator stats: %w", err)
	}
	return timelineByStatus(s.Endpoints), nil
}

func timelineByStatus(endpoints map[string]map[string]int) twitterStats {
	out := twitterStats{byStatus: map[string]int{}}
	for _, ep := range []string{"user_timeline", "users_tweets"} {
		for status, n := range endpoints[ep] {
			if n > 0 {
				out.byStatus[status] += n
			}
		}
	}
	return out
}
