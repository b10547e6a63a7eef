package share

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A card render shared by several requests must not die with the request that started it: the
// first caller's client going away used to fail every caller waiting on the same render.
func TestSharedRenderSurvivesTheFirstCallerLeaving(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	c, _, err := f.svc.Create(ctx, f.request(t, "1001"))
	if err != nil {
		t.Fatal(err)
	}
	// Another instance, which has not drawn this card yet.
	other, err := NewService(f.store, nil, f.svc.public, f.clock.now, f.svc.log, WithRenderWait(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for range renderConcurrency {
		other.renderSlots <- struct{}{} // every slot busy: the render waits
	}
	type result struct {
		img Image
		err error
	}
	first, cancelFirst := context.WithCancel(ctx)
	firstDone, secondDone := make(chan result, 1), make(chan result, 1)
	go func() { img, err := other.Image(first, c.ID, ""); firstDone <- result{img, err} }()
	waitForImageCallers(t, other, 1)
	go func() { img, err := other.Image(ctx, c.ID, ""); secondDone <- result{img, err} }()
	waitForImageCallers(t, other, 2) // both wait on the one render

	cancelFirst()
	r1 := <-firstDone // it stops waiting at once, with the render still queued
	for range renderConcurrency {
		<-other.renderSlots
	}
	if r := <-secondDone; r.err != nil || len(r.img.PNG) == 0 {
		t.Fatalf("the caller still waiting got %v (%d bytes), want the card", r.err, len(r.img.PNG))
	}
	if !errors.Is(r1.err, context.Canceled) {
		t.Fatalf("the caller that left got %v, want context.Canceled", r1.err)
	}
}

// waitForImageCallers waits until n goroutines are blocked inside svc.image (waiting for a
// render slot or for a render another caller started). Only svc's callers count (the stack
// trace names the receiver of Image), as other tests of the package run in parallel.
func waitForImageCallers(t *testing.T, svc *Service, n int) {
	t.Helper()
	caller := fmt.Sprintf(").Image(%p", svc) // image's own frame prints its receiver as _
	deadline := time.Now().Add(30 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		stacks := string(buf[:runtime.Stack(buf, true)])
		blocked := 0
		for g := range strings.SplitSeq(stacks, "\n\n") {
			head, _, _ := strings.Cut(g, "\n")
			if strings.Contains(g, ").image(") && strings.Contains(g, caller) && (strings.Contains(head, "[select") || strings.Contains(head, "[semacquire") || strings.Contains(head, "[sync.WaitGroup")) {
				blocked++
			}
		}
		if blocked >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d callers blocked in image, want %d", blocked, n)
		}
		time.Sleep(time.Millisecond)
	}
}
