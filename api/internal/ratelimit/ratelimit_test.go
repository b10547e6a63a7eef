package ratelimit

import (
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/redistest"
)

func TestAllowSharesCountAcrossLimiters(t *testing.T) {
	srv := redistest.Start(t)
	limits := Limits{"auth": {Rate: 3, Burst: 3, Period: time.Minute}}
	a, b := New(srv.Client(), limits), New(srv.Client(), limits) // two instances
	ctx := t.Context()
	for i, l := range []*Limiter{a, b, a} {
		if ok, _, err := l.Allow(ctx, "auth", "203.0.113.7"); err != nil || !ok {
			t.Fatalf("request %d refused: %v", i, err)
		}
	}
	ok, retry, err := b.Allow(ctx, "auth", "203.0.113.7")
	if err != nil || ok || retry <= 0 || retry > time.Minute {
		t.Fatalf("4th request: ok=%v retry=%v err=%v; want refused with a retry within a minute", ok, retry, err)
	}
	if ok, _, _ := a.Allow(ctx, "auth", "198.51.100.1"); !ok {
		t.Fatal("another IP must have its own budget")
	}
	if ok, _, _ := a.Allow(ctx, "unknown-limit", "x"); !ok {
		t.Fatal("an unconfigured limit must not block")
	}
	srv.Stop()
	if _, _, err := a.Allow(ctx, "auth", "192.0.2.1"); err == nil {
		t.Fatal("want an error when Redis is down")
	}
}
