package budget

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/redistest"
)

// clock is a settable test clock.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) now() time.Time   { return *c.t.Load() }
func (c *clock) set(t time.Time)  { c.t.Store(&t) }

func TestReserveSpendsTheDailyQuota(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t).Client()
	ctx := context.Background()
	clk := newClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	b := New(rdb, 3, clk.now)

	for i, want := range []int{2, 1, 0} {
		r, err := b.Reserve(ctx, "u1")
		if err != nil || !r.Allowed() || r.Remaining != want {
			t.Fatalf("reservation %d = %+v, %v; want allowed with %d remaining", i+1, r, err, want)
		}
	}
	r, err := b.Reserve(ctx, "u2")
	midnight := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	if err != nil || r.Allowed() || r.Reason != AppQuota || !r.Reset.Equal(midnight) {
		t.Fatalf("reservation over quota = %+v, %v; want AppQuota until %v", r, err, midnight)
	}
	left, reset, err := b.Remaining(ctx)
	if err != nil || left != 0 || !reset.Equal(midnight) {
		t.Errorf("Remaining = %d, %v, %v; want 0 until %v", left, reset, err, midnight)
	}
	for _, k := range rdb.Keys(ctx, "nezame:*").Val() {
		if ttl := rdb.TTL(ctx, k).Val(); ttl <= 0 {
			t.Errorf("key %s has no TTL (%v)", k, ttl)
		}
	}

	// A new UTC day starts a new count.
	clk.set(midnight.Add(time.Second))
	if r, err := b.Reserve(ctx, "u1"); err != nil || !r.Allowed() || r.Remaining != 2 {
		t.Errorf("first reservation of the next day = %+v, %v; want allowed with 2 remaining", r, err)
	}
}

func TestBudgetIsSharedAcrossInstances(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t).Client()
	ctx := context.Background()
	clk := newClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	const quota = 50
	instances := []*Budget{New(rdb, quota, clk.now), New(rdb, quota, clk.now), New(rdb, quota, clk.now)}

	var allowed atomic.Int64
	var wg sync.WaitGroup
	for i := range 120 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := instances[i%len(instances)].Reserve(ctx, "u")
			if err != nil {
				t.Error(err)
				return
			}
			if r.Allowed() {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if got := allowed.Load(); got != quota {
		t.Errorf("%d concurrent reservations over 3 instances allowed %d, want exactly the quota %d", 120, got, quota)
	}
}

func TestBlocks(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	until := start.Add(10 * time.Minute)
	tests := []struct {
		name       string
		block      func(*Budget) error
		user       string
		wantReason Reason
	}{
		{"app block stops every user", func(b *Budget) error { return b.BlockApp(context.Background(), until) }, "other", AppBlocked},
		{"user block stops that user", func(b *Budget) error { return b.BlockUser(context.Background(), "u1", until) }, "u1", UserBlocked},
		{"user block leaves others alone", func(b *Budget) error { return b.BlockUser(context.Background(), "u1", until) }, "u2", OK},
		{"a block in the past is ignored", func(b *Budget) error { return b.BlockApp(context.Background(), start.Add(-time.Second)) }, "u1", OK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rdb := redistest.Start(t).Client()
			ctx := context.Background()
			clk := newClock(start)
			b := New(rdb, 100, clk.now)
			if err := tc.block(b); err != nil {
				t.Fatal(err)
			}
			r, err := b.Reserve(ctx, tc.user)
			if err != nil || r.Reason != tc.wantReason {
				t.Fatalf("Reserve = %+v, %v; want reason %v", r, err, tc.wantReason)
			}
			if tc.wantReason != OK {
				if !r.Reset.Equal(until) {
					t.Errorf("Reset = %v, want %v", r.Reset, until)
				}
				if used := rdb.HGet(ctx, keys.BudgetDay(start), "n").Val(); used != "" && used != "0" {
					t.Errorf("a refused reservation spent budget: count %q", used)
				}
				// At the reset the block no longer applies.
				clk.set(until.Add(time.Millisecond))
				if r, err := b.Reserve(ctx, tc.user); err != nil || !r.Allowed() {
					t.Errorf("Reserve after the reset = %+v, %v; want allowed", r, err)
				}
			}
		})
	}
}

func TestRemainingDuringAppBlock(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t).Client()
	ctx := context.Background()
	start := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	b := New(rdb, 100, newClock(start).now)
	if left, _, err := b.Remaining(ctx); err != nil || left != 100 {
		t.Fatalf("Remaining on a fresh day = %d, %v; want 100", left, err)
	}
	until := start.Add(7 * time.Minute)
	if err := b.BlockApp(ctx, until); err != nil {
		t.Fatal(err)
	}
	if left, reset, err := b.Remaining(ctx); err != nil || left != 0 || !reset.Equal(until) {
		t.Errorf("Remaining while blocked = %d, %v, %v; want 0 until %v", left, reset, err, until)
	}
}

func TestRedisDownIsAnError(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	b := New(srv.Client(), 100, time.Now)
	srv.Stop()
	if _, err := b.Reserve(context.Background(), "u"); err == nil {
		t.Error("Reserve with Redis stopped: want an error, never a free pass")
	}
}

// When an app block ends, one request probes Twitter; everyone else waits for its answer.
func TestOneProbeWhenTheAppBlockEnds(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t).Client()
	ctx := context.Background()
	start := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	clk := newClock(start)
	a, b := New(rdb, 100, clk.now), New(rdb, 100, clk.now) // two instances
	until := start.Add(time.Hour)
	if err := a.BlockApp(ctx, until); err != nil {
		t.Fatal(err)
	}
	clk.set(until.Add(time.Second))

	probe, err := a.Reserve(ctx, "u1")
	if err != nil || !probe.Allowed() || !probe.Probe {
		t.Fatalf("first reservation after the block = %+v, %v; want the probe", probe, err)
	}
	for _, inst := range []*Budget{a, b} {
		r, err := inst.Reserve(ctx, "u2")
		if err != nil || r.Allowed() || r.Reason != AppBlocked || !r.Reset.After(clk.now()) {
			t.Fatalf("reservation while the probe is out = %+v, %v; want refused until the probe answers", r, err)
		}
	}

	// The probe succeeds: the block is lifted for every instance at once.
	if err := a.ProbeSucceeded(ctx); err != nil {
		t.Fatal(err)
	}
	for _, inst := range []*Budget{a, b} {
		if r, err := inst.Reserve(ctx, "u3"); err != nil || !r.Allowed() || r.Probe {
			t.Fatalf("reservation after a successful probe = %+v, %v; want allowed, not a probe", r, err)
		}
	}

	// A probe Twitter refuses sets a new block, and the next end brings a new probe.
	until2 := clk.now().Add(time.Hour)
	if err := a.BlockApp(ctx, until2); err != nil {
		t.Fatal(err)
	}
	clk.set(until2.Add(time.Second))
	if r, _ := b.Reserve(ctx, "u4"); !r.Probe {
		t.Fatalf("reservation after the second block = %+v; want a probe", r)
	}
	if err := b.BlockApp(ctx, clk.now().Add(time.Hour)); err != nil { // the probe got a 429
		t.Fatal(err)
	}
	if err := a.ProbeSucceeded(ctx); err != nil { // a late success elsewhere must not lift the new block
		t.Fatal(err)
	}
	if r, _ := a.Reserve(ctx, "u5"); r.Allowed() {
		t.Fatalf("reservation under the new block = %+v; want refused", r)
	}
}

// A probe that never answers (Twitter hangs) lets another probe through after the probe window.
func TestUnansweredProbeIsRetried(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t).Client()
	ctx := context.Background()
	start := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	clk := newClock(start)
	b := New(rdb, 100, clk.now)
	if err := b.BlockApp(ctx, start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	clk.set(start.Add(2 * time.Minute))
	if r, _ := b.Reserve(ctx, "u"); !r.Probe {
		t.Fatalf("want a probe, got %+v", r)
	}
	// The marker's TTL runs in Redis's time; drop it as its expiry would.
	rdb.Del(ctx, keys.BudgetProbe)
	if r, _ := b.Reserve(ctx, "u"); !r.Probe {
		t.Fatalf("after the probe window: want another probe, got %+v", r)
	}
}

// A Redis restart without persistence loses the day's count; the instances that spent it
// restore it, so the quota is not spent twice. A real redis-server is restarted.
func TestCountSurvivesARedisRestart(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	rdb := srv.Client()
	ctx := context.Background()
	clk := newClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	const quota = 10
	a, b := New(rdb, quota, clk.now), New(rdb, quota, clk.now)
	for i := range 6 {
		if r, err := []*Budget{a, b}[i%2].Reserve(ctx, "u"); err != nil || !r.Allowed() {
			t.Fatalf("reservation %d = %+v, %v", i+1, r, err)
		}
	}
	srv.Restart() // an empty Redis: the count of 6 is gone
	allowed := 0
	for i := range 2 * quota {
		r, err := []*Budget{a, b}[i%2].Reserve(ctx, "u")
		for deadline := time.Now().Add(30 * time.Second); err != nil && i < 3 && time.Now().Before(deadline); { // the pool reconnects after the restart
			time.Sleep(20 * time.Millisecond)
			r, err = []*Budget{a, b}[i%2].Reserve(ctx, "u")
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Allowed() {
			allowed++
		}
	}
	if allowed != quota-6 {
		t.Errorf("after the restart %d more requests were allowed, want %d (the quota is %d, 6 were spent)", allowed, quota-6, quota)
	}
	if left, _, err := a.Remaining(ctx); err != nil || left != 0 {
		t.Errorf("Remaining after the restart = %d, %v; want 0", left, err)
	}
}
