package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// proc is one child process the harness started.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
}

// cluster owns every process of a run: redis-server, the emulator and the instances. close
// kills whatever is still running.
type cluster struct {
	bin, dir, logDir string
	cfg              options
	redisPort        int
	emuAddr          string
	instAddrs        []string
	publicURL        string

	mu    sync.Mutex
	procs map[string]*proc // by name: redis, emulator, instance-1..N
	peak  map[string]int64 // peak VmRSS in KiB by instance name
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// start launches a child with its output in logDir/name.log. Children get SIGKILL if the
// harness dies, so none outlives it.
func (c *cluster) start(name string, env []string, path string, args ...string) error {
	f, err := os.OpenFile(filepath.Join(c.logDir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open log of %s: %w", name, err)
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = c.dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: f, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); f.Close(); close(p.done) }()
	c.mu.Lock()
	c.procs[name] = p
	c.mu.Unlock()
	return nil
}

// kill sends SIGKILL to the named process and waits for it to exit.
func (c *cluster) kill(name string) { c.stop(name, syscall.SIGKILL) }

// stop sends sig to the named process and waits for it to exit; after 10 s (Cloud Run's grace
// period) it sends SIGKILL.
func (c *cluster) stop(name string, sig syscall.Signal) {
	c.mu.Lock()
	p := c.procs[name]
	delete(c.procs, name)
	c.mu.Unlock()
	if p == nil {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		return
	case <-time.After(10 * time.Second):
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
}

func (c *cluster) close() {
	c.mu.Lock()
	names := make([]string, 0, len(c.procs))
	for n := range c.procs {
		names = append(names, n)
	}
	c.mu.Unlock()
	for _, n := range names {
		c.kill(n)
	}
}

func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// waitHTTP polls url until it answers 200 or the deadline passes.
func waitHTTP(ctx context.Context, url string, within time.Duration) error {
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(within)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("wait for %s: %w", url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *cluster) redisURL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", c.redisPort) }

// startRedis runs a throwaway redis-server: loopback, no persistence except the snapshot the
// Redis-restart fault asks for explicitly.
func (c *cluster) startRedis(ctx context.Context) error {
	err := c.start("redis", baseEnv(), "redis-server", "--port", strconv.Itoa(c.redisPort), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", c.dir, "--dbfilename", "dump.rdb", "--maxclients", "10000")
	if err != nil {
		return err
	}
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", c.redisPort), MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		pctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		err := rdb.Ping(pctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis-server on port %d does not answer: %w", c.redisPort, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *cluster) startEmulator(ctx context.Context) error {
	err := c.start("emulator", baseEnv(), c.bin, "emulator", "-addr", c.emuAddr, "-consumer-key", consumerKey,
		"-consumer-secret", consumerSecret, "-app-daily-cap", strconv.Itoa(c.cfg.AppCap), "-seed", strconv.FormatInt(c.cfg.Seed, 10))
	if err != nil {
		return err
	}
	return waitHTTP(ctx, "http://"+c.emuAddr+"/_emulator/stats", 10*time.Second)
}

const (
	consumerKey    = "loadtest-key"
	consumerSecret = "loadtest-secret"
)

func instanceName(i int) string { return fmt.Sprintf("instance-%d", i+1) }

func (c *cluster) startInstance(ctx context.Context, i int) error {
	_, port, _ := net.SplitHostPort(c.instAddrs[i])
	env := append(baseEnv(),
		"PORT="+port,
		"PUBLIC_URL="+c.publicURL,
		"REDIS_URL="+c.redisURL(),
		"SESSION_SECRET="+strings.Repeat("loadtest-session-secret-", 2),
		"TWITTER_CONSUMER_KEY="+consumerKey,
		"TWITTER_CONSUMER_SECRET="+consumerSecret,
		"TWITTER_API_BASE=http://"+c.emuAddr,
		"TWITTER_APP_DAILY_QUOTA="+strconv.Itoa(c.cfg.AppCap),
		"CACHE_TTL="+c.cfg.cacheTTL.String(),
		"WINDOW_DAYS="+strconv.Itoa(c.cfg.WindowDays),
		"QUEUE_CAPACITY="+strconv.Itoa(c.cfg.QueueCap),
		"SHARE_STORE=file://"+filepath.Join(c.dir, "shares"),
		"LOG_FORMAT=json",
	)
	if c.cfg.GoMemLimit != "" {
		env = append(env, "GOMEMLIMIT="+c.cfg.GoMemLimit)
	}
	if c.cfg.GOGC != "" {
		env = append(env, "GOGC="+c.cfg.GOGC)
	}
	if err := c.start(instanceName(i), env, c.bin); err != nil {
		return err
	}
	return waitHTTP(ctx, "http://"+c.instAddrs[i]+"/readyz", 15*time.Second)
}

// newCluster picks ports and starts redis, the emulator and the instances. publicURL is the
// proxy's URL, known before anything starts.
func newCluster(ctx context.Context, cfg options, bin, dir, logDir string, instAddrs []string, publicURL string) (*cluster, error) {
	c := &cluster{bin: bin, dir: dir, logDir: logDir, cfg: cfg, instAddrs: instAddrs, publicURL: publicURL,
		procs: map[string]*proc{}, peak: map[string]int64{}}
	var err error
	if c.redisPort, err = freePort(); err != nil {
		return nil, err
	}
	ep, err := freePort()
	if err != nil {
		return nil, err
	}
	c.emuAddr = fmt.Sprintf("127.0.0.1:%d", ep)
	if err := c.startRedis(ctx); err != nil {
		c.close()
		return nil, err
	}
	if err := c.startEmulator(ctx); err != nil {
		c.close()
		return nil, c.withLog("emulator", err)
	}
	errs := make([]error, len(instAddrs))
	var wg sync.WaitGroup
	for i := range instAddrs {
		wg.Go(func() { errs[i] = c.withLog(instanceName(i), c.startInstance(ctx, i)) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// withLog appends the tail of a process's log to a start error: that is where the reason is.
func (c *cluster) withLog(name string, err error) error {
	if err == nil {
		return nil
	}
	b, _ := os.ReadFile(filepath.Join(c.logDir, name+".log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return fmt.Errorf("%s: %w\n%s", name, err, bytes.TrimSpace(b))
}

// sampleRSS records every instance's VmRSS every interval until ctx ends.
func (c *cluster) sampleRSS(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		c.mu.Lock()
		for name, p := range c.procs {
			if !strings.HasPrefix(name, "instance-") {
				continue
			}
			if kb, err := vmRSS(p.cmd.Process.Pid); err == nil && kb > c.peak[name] {
				c.peak[name] = kb
			}
		}
		c.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (c *cluster) peakRSSMiB() map[string]float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]float64{}
	for n, kb := range c.peak {
		out[n] = float64(kb*10/1024) / 10
	}
	return out
}

// vmRSS reads the resident set size in KiB from /proc/<pid>/status.
func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read status of %d: %w", pid, err)
	}
	return parseVmRSS(bytes.NewReader(b))
}

func parseVmRSS(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 1 {
			break
		}
		return strconv.ParseInt(f[0], 10, 64)
	}
	return 0, errors.New("no VmRSS line")
}

// countPanics counts panic lines in the instance logs.
func (c *cluster) countPanics() int {
	n := 0
	for i := range c.instAddrs {
		b, _ := os.ReadFile(filepath.Join(c.logDir, instanceName(i)+".log"))
		n += bytes.Count(b, []byte("panic"))
	}
	return n
}
