package emulator

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// Main runs the standalone emulator subcommand:
//
//	nezame emulator [-addr 127.0.0.1:8081] [-consumer-key …] [-consumer-secret …] [-app-daily-cap …] [-seed …]
//
// It serves until ctx is cancelled, then shuts down gracefully.
func Main(ctx context.Context, args []string, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8081", "listen address")
	key := fs.String("consumer-key", DefaultConsumerKey, "OAuth consumer key clients must use")
	secret := fs.String("consumer-secret", DefaultConsumerSecret, "OAuth consumer secret")
	appCap := fs.Int("app-daily-cap", DefaultAppDailyCap, "app-wide timeline requests per 24 h")
	seed := fs.Int64("seed", 1, "persona generation seed")
	if err := fs.Parse(args); err != nil {
		// The usage goes into the error, which the caller prints once.
		var usage strings.Builder
		fs.SetOutput(&usage)
		fs.PrintDefaults()
		return fmt.Errorf("emulator flags: %w\nusage: nezame emulator [flags]\n%s", err, usage.String())
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("emulator: unexpected arguments %q", fs.Args())
	}
	if *appCap <= 0 {
		return fmt.Errorf("emulator: -app-daily-cap must be positive, got %d", *appCap)
	}
	em := New(Config{ConsumerKey: *key, ConsumerSecret: *secret, AppDailyCap: *appCap, Seed: *seed, Logger: logger})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("emulator listen on %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler:           em,
		ReadHeaderTimeout: 5 * time.Second,
		// Cancelling ctx also ends requests held by a timeout fault, so shutdown is prompt.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	logger.Info("emulator listening", "addr", ln.Addr().String(), "appDailyCap", *appCap, "seed", *seed)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("emulator serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("emulator shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("emulator serve: %w", err)
	}
	logger.Info("emulator stopped")
	return nil
}
