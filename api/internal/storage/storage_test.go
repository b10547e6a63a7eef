package storage

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/redistest"
)

func TestOpenRealRedis(t *testing.T) {
	srv := redistest.Start(t)
	c, err := Open(srv.URL(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Ping(t.Context()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	srv.Stop()
	if err := c.Ping(t.Context()); err == nil {
		t.Fatal("ping succeeded against a stopped server")
	}
}

func TestInMemoryExpiresKeys(t *testing.T) {
	c, err := Open("", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !c.InMemory {
		t.Fatal("empty REDIS_URL should give the in-process store")
	}
	ctx := t.Context()
	if err := c.Client.Set(ctx, "nezame:k", "v", time.Second).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for c.Client.Exists(ctx, "nezame:k").Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("a key with a 1 s TTL still exists after 5 s: the in-process store's clock does not advance")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestOpenRejectsBadURL(t *testing.T) {
	if _, err := Open("http://x", slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
		t.Fatal("want an error for a non-redis URL")
	}
}
