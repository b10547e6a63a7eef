package queue

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/redistest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }
func quiet() *slog.Logger            { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// admit returns 0 when admitted (calling release later is the caller's job), else the position.
func admit(t *testing.T, r *Room, user string) (int, func()) {
	t.Helper()
	release, err := r.Admit(context.Background(), user)
	if err == nil {
		return 0, release
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindQueued || e.RetryAfter < time.Second {
		t.Fatalf("Admit(%s) = %v; want admitted or queued with a retry", user, err)
	}
	return e.Position, nil
}

func TestFIFOAcrossInstances(t *testing.T) {
	srv := redistest.Start(t)
	clk := &clock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	cfg := Config{Capacity: 2, TicketTTL: 30 * time.Second}
	a, b := New(cfg, srv.Client(), clk.now, quiet()), New(cfg, srv.Client(), clk.now, quiet())

	p1, rel1 := admit(t, a, "u1")
	p2, rel2 := admit(t, b, "u2")
	if p1 != 0 || p2 != 0 {
		t.Fatalf("first two should be admitted: %d %d", p1, p2)
	}
	if p, _ := admit(t, a, "u3"); p != 1 {
		t.Fatalf("u3 position = %d, want 1", p)
	}
	if p, _ := admit(t, b, "u4"); p != 2 {
		t.Fatalf("u4 position = %d, want 2", p)
	}
	// Polling again keeps the place; a newcomer goes behind.
	if p, _ := admit(t, b, "u3"); p != 1 {
		t.Fatalf("u3 re-poll position = %d, want 1", p)
	}
	rel1()
	// u4 polls first but u3 is ahead: only one slot is free, and it is u3's.
	if p, _ := admit(t, a, "u4"); p != 2 {
		t.Fatalf("u4 jumped the line: position %d", p)
	}
	p3, rel3 := admit(t, b, "u3")
	if p3 != 0 {
		t.Fatalf("u3 should be admitted after a release, got position %d", p3)
	}
	if p, _ := admit(t, a, "u4"); p != 1 {
		t.Fatalf("u4 position = %d, want 1", p)
	}
	rel2()
	rel3()
	if p, rel := admit(t, a, "u4"); p != 0 {
		t.Fatalf("u4 should be admitted, got %d", p)
	} else {
		rel()
	}
}

func TestAbandonedTicketsExpire(t *testing.T) {
	srv := redistest.Start(t)
	clk := &clock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	r := New(Config{Capacity: 1, TicketTTL: 30 * time.Second}, srv.Client(), clk.now, quiet())
	_, rel := admit(t, r, "holder")
	admit(t, r, "gone") // position 1, then the tab is closed
	if p, _ := admit(t, r, "patient"); p != 2 {
		t.Fatalf("patient position = %d, want 2", p)
	}
	clk.add(20 * time.Second)
	admit(t, r, "patient") // polls; "gone" does not
	clk.add(15 * time.Second)
	if p, _ := admit(t, r, "patient"); p != 1 {
		t.Fatalf("after the abandoned ticket expired, patient position = %d, want 1", p)
	}
	rel()
	if p, rel := admit(t, r, "patient"); p != 0 {
		t.Fatalf("patient not admitted after release: %d", p)
	} else {
		rel()
	}
}

func TestCrashedHolderSlotExpires(t *testing.T) {
	srv := redistest.Start(t)
	clk := &clock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	r := New(Config{Capacity: 1, SlotTTL: 60 * time.Second}, srv.Client(), clk.now, quiet())
	admit(t, r, "crashed") // never releases
	if p, _ := admit(t, r, "next"); p != 1 {
		t.Fatalf("position = %d", p)
	}
	for range 7 { // keep polling past the slot's lifetime
		clk.add(10 * time.Second)
		if p, rel := admit(t, r, "next"); p == 0 {
			rel()
			return
		}
	}
	t.Fatal("a crashed instance's slot never expired")
}

func TestRedisDownIsAnError(t *testing.T) {
	srv := redistest.Start(t)
	r := New(Config{Capacity: 1}, srv.Client(), time.Now, quiet())
	srv.Stop()
	if _, err := r.Admit(context.Background(), "u"); err == nil {
		t.Fatal("want an error with Redis down")
	} else if e, _ := apperr.As(err); e == nil || e.Code != apperr.CodeStorageUnavailable {
		t.Fatalf("a storage failure must be storage_unavailable, never a queue position: %v", err)
	}
}
