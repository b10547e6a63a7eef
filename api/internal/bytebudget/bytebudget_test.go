package bytebudget

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestReserveWaitsForRelease(t *testing.T) {
	b := New(100, 0)
	a := b.Hold()
	if err := a.Reserve(context.Background(), 60); err != nil {
		t.Fatal(err)
	}
	if err := a.Reserve(context.Background(), 30); err != nil {
		t.Fatal(err)
	}
	c := b.Hold()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := c.Reserve(ctx, 20); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("20 more bytes in a full budget: %v", err)
	}
	if err := c.Reserve(context.Background(), 10); err != nil {
		t.Fatalf("10 bytes that fit: %v", err)
	}
	done := make(chan error)
	go func() { done <- c.Reserve(context.Background(), 50) }()
	select {
	case err := <-done:
		t.Fatalf("granted before anything was released: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	a.Release()
	a.Release() // twice is harmless
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if used, peak := b.Used(); used != 60 || peak != 100 || c.Held() != 60 {
		t.Fatalf("used %d, peak %d, held %d", used, peak, c.Held())
	}
	if err := c.Reserve(context.Background(), 101); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("more than the budget: %v", err)
	}
}

func TestConcurrentHoldsNeverExceedTheBudget(t *testing.T) {
	b := New(1000, 0)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := b.Hold()
			defer h.Release()
			if err := h.Reserve(context.Background(), int64(100+10*i)); err != nil {
				t.Error(err)
			}
			time.Sleep(time.Millisecond)
		}()
	}
	wg.Wait()
	if used, peak := b.Used(); used != 0 || peak > 1000 || peak < 590 {
		t.Fatalf("used %d, peak %d of 1000", used, peak)
	}
}

// Jobs that grow as they go could each hold part of the budget and wait for each other forever;
// the overdraft lets one of them finish.
func TestGrowingJobsDoNotDeadlock(t *testing.T) {
	b := New(400, 200)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := b.Hold()
			defer h.Release()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			for range 4 { // 200 bytes in steps of 50
				if err := h.Reserve(ctx, 50); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	wg.Wait()
	if used, peak := b.Used(); used != 0 || peak > 600 {
		t.Fatalf("used %d, peak %d; budget 400 + overdraft 200", used, peak)
	}
	// A new job does not use the overdraft.
	full := b.Hold()
	_ = full.Reserve(context.Background(), 400)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := b.Hold().Reserve(ctx, 10); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a new job over the budget: %v", err)
	}
}
