// Command nezame serves the nezame web app. With no arguments it serves; `nezame emulator`
// runs the standalone Twitter emulator. main only parses flags and the environment and wires
// the packages together.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	// The distroless image has no zoneinfo; embed it so every IANA zone works everywhere.
	_ "time/tzdata"

	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/auth"
	"github.com/nezame/nezame/api/internal/config"
	"github.com/nezame/nezame/api/internal/emulator"
	"github.com/nezame/nezame/api/internal/logging"
	"github.com/nezame/nezame/api/internal/metrics"
	"github.com/nezame/nezame/api/internal/periods"
	"github.com/nezame/nezame/api/internal/posttimes"
	"github.com/nezame/nezame/api/internal/queue"
	"github.com/nezame/nezame/api/internal/ratelimit"
	"github.com/nezame/nezame/api/internal/seal"
	"github.com/nezame/nezame/api/internal/server"
	"github.com/nezame/nezame/api/internal/session"
	"github.com/nezame/nezame/api/internal/share"
	"github.com/nezame/nezame/api/internal/share/blobstore"
	"github.com/nezame/nezame/api/internal/storage"
	"github.com/nezame/nezame/api/internal/twitter"
	"github.com/nezame/nezame/api/internal/twitter/budget"
	"github.com/nezame/nezame/deploy/loadtest"
	"github.com/nezame/nezame/docs"
	"github.com/nezame/nezame/web"
)

func main() {
	ctx, stop := signalContext()
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "nezame:", err)
		os.Exit(1)
	}
}

// signalContext is cancelled by SIGTERM (Cloud Run's stop signal) or SIGINT (Ctrl-C).
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
}

func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "emulator":
			return runEmulator(ctx, args[1:], stderr)
		case "loadtest":
			return loadtest.Main(ctx, args[1:], stderr)
		case "help", "-h", "--help":
			fmt.Fprintln(stderr, "usage: nezame                 serve (configuration from the environment; see README)\n"+
				"       nezame emulator [-addr 127.0.0.1:8081] [-consumer-key …] [-consumer-secret …] [-app-daily-cap N] [-seed N]\n"+
				"       nezame loadtest [-duration 60s] [-out FILE] [-fault-… ]   (nezame loadtest -h lists the flags)")
			return nil
		default:
			return fmt.Errorf("unknown subcommand %q (try: nezame help)", args[0])
		}
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, stderr)
}

func serve(ctx context.Context, cfg config.Config, stderr io.Writer) error {
	started := time.Now()
	log := logging.New(stderr, cfg.LogFormat, slog.LevelInfo)
	// Libraries that log through slog's default (gin-contrib/sessions) get the same shape.
	slog.SetDefault(log)
	redis.SetLogger(storage.Logger{Log: log})
	conn, err := storage.Open(cfg.RedisURL, log)
	if err != nil {
		return err
	}
	defer conn.Close()

	app, reads, err := wire(ctx, cfg, conn, log, metrics.New())
	if err != nil {
		return err
	}
	srv := app.HTTPServer(fmt.Sprintf(":%d", cfg.Port))
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	log.Info("nezame listening", "port", cfg.Port, "publicUrl", cfg.PublicURL.String(), "demoMode", cfg.DemoMode,
		"redis", !conn.InMemory, "twitterApiBase", cfg.APIBase.String(), "twitterApiVersion", cfg.APIVersion, "webBuilt", web.Built(),
		"startupMs", time.Since(started).Milliseconds())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Cloud Run sends SIGTERM and waits 10 s before SIGKILL: finish in-flight requests within 9 s.
	log.Info("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	// Background reads of Twitter hold a cross-instance fetch lock and a waiting-room slot: end
	// them now and release both, so another instance can read for those users at once instead
	// of waiting out the lock's TTL. (The requests waiting on them get a 503 to retry.)
	readsDone := make(chan error, 1)
	go func() { readsDone <- reads.Shutdown(shutdownCtx) }()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	if err := <-readsDone; err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	log.Info("stopped cleanly")
	return nil
}

// wire builds the service graph from the configuration; it returns the HTTP server and the
// periods service, whose background reads serve ends on shutdown.
func wire(ctx context.Context, cfg config.Config, conn *storage.Conn, log *slog.Logger, m *metrics.Metrics) (*server.Server, *periods.Service, error) {
	secret := []byte(cfg.SessionSecret)
	if len(secret) == 0 {
		log.Warn("SESSION_SECRET is not set: using a random per-process secret; sessions end when the process does")
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, nil, fmt.Errorf("random session secret: %w", err)
		}
	}
	sealer, err := seal.New(secret, "access-token")
	if err != nil {
		return nil, nil, err
	}
	var emu http.Handler
	if cfg.DemoMode {
		log.Warn("demo mode: no Twitter credentials, the built-in Twitter emulator is mounted at /_twitter",
			"apiBase", cfg.APIBase.String())
		emu = emulator.New(emulator.Config{ConsumerKey: cfg.ConsumerKey, ConsumerSecret: cfg.ConsumerSecret,
			AppDailyCap: cfg.AppDailyQuota, Seed: 1, BasePath: "/_twitter", Logger: log.With("component", "emulator")})
	}
	tcfg := twitter.Config{APIBase: cfg.APIBase, ConsumerKey: cfg.ConsumerKey, ConsumerSecret: cfg.ConsumerSecret,
		Version: cfg.APIVersion, RequestTimeout: 10 * time.Second}
	twitterBudget := budget.New(conn.Client, cfg.AppDailyQuota, time.Now)
	client := twitter.NewClient(tcfg, twitterBudget, m, time.Now, log)
	flow := auth.NewFlow(twitter.NewOAuth(tcfg), client, conn.Client, cfg.PublicURL.String()+"/auth/callback", log)
	pcfg := periods.Config{CacheTTL: cfg.CacheTTL, WindowDays: cfg.WindowDays}
	room := waitingRoom(cfg.QueueCapacity, pcfg, conn.Client, time.Now, log)
	// A stored record older than the window would be pruned to nothing, so it may expire a day
	// after the window.
	posts := posttimes.NewStore(conn.Client, time.Duration(cfg.WindowDays+1)*24*time.Hour)
	svc := periods.New(pcfg, posts, client, room, conn.Client, time.Now, log, m)
	go m.Watch(ctx, time.Minute, metrics.Sources{Budget: twitterBudget.Remaining, QueueLength: room.Length}, log)

	store, err := blobstore.Open(cfg.ShareStore, blobstore.GCSOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("SHARE_STORE: %w", err)
	}
	limiter := ratelimit.New(conn.Client, ratelimit.DefaultLimits())
	shares, err := share.NewService(store, limiter, cfg.PublicURL, time.Now, log)
	if err != nil {
		return nil, nil, err
	}

	// Revisits of /api/periods read a session and its stored answer; under load many arrive at
	// once, and the autopipeliner sends the reads of concurrent requests in one write. The reads
	// are independent, so batches need no order and several may be in flight (a batch waiting
	// behind another is what makes p99).
	revisits, err := conn.Client.AutoPipelineWithOptions(&redis.AutoPipelineOptions{MaxConcurrentBatches: 4, Unordered: true})
	if err != nil {
		return nil, nil, fmt.Errorf("redis autopipeliner: %w", err)
	}
	s := server.New(server.Options{
		Config: cfg, Logger: log, Metrics: m, Ready: conn.Ping,
		Web: web.Assets(), WebBuilt: web.Built(), Emulator: emu, OpenAPI: docs.OpenAPI,
		Limiter: limiter,
		Shares:  shares,
		Auth: &server.Auth{Flow: flow, Store: session.NewStore(conn.Client, cfg.PublicURL.Scheme == "https"),
			Sealer: sealer, Periods: svc, Redis: conn.Client, Revisits: revisits},
	})
	return s, svc, nil
}

// waitingRoom is the waiting room in front of the reads of the periods service configured by
// pcfg: a slot lives as long as the read's fetch lock, past the longest a read may run, so a
// slow but alive read keeps its slot and the room never admits more than capacity.
func waitingRoom(capacity int, pcfg periods.Config, rdb redis.UniversalClient, now func() time.Time, log *slog.Logger) *queue.Room {
	return queue.New(queue.Config{Capacity: capacity, SlotTTL: pcfg.HoldTTL()}, rdb, now, log)
}

func runEmulator(ctx context.Context, args []string, stderr io.Writer) error {
	return emulator.Main(ctx, args, logging.New(stderr, "text", slog.LevelInfo))
}
