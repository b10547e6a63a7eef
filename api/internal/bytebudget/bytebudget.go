// Package bytebudget bounds the bytes that one kind of work holds at once on an instance. Work
// reserves memory before it holds it and gives it back when done; a reservation that does not
// fit waits until enough is given back or its context ends. Counting bytes rather than requests
// lets many small jobs run side by side while a few large ones take turns, and lets a job that
// receives its input slowly hold only what it has received so far.
//
// Jobs reserve as they grow, so jobs that each hold part of the budget could all wait for each
// other. To rule that out, one job at a time that already holds memory may go over the budget by
// up to an overdraft (sized for one whole job): it finishes and frees its share, and the others
// move on. New jobs never use the overdraft, so they are admitted only within the budget; the
// memory held is at most the budget plus the overdraft.
package bytebudget

import (
	"context"
	"errors"
	"sync"
)

// ErrTooLarge is a reservation larger than the whole budget: it could never be granted.
var ErrTooLarge = errors.New("bytebudget: reservation larger than the budget")

// Budget is a number of bytes shared by concurrent work.
type Budget struct {
	mu        sync.Mutex
	size      int64
	overdraft int64
	over      *Hold // the job using the overdraft, if any
	used      int64
	peak      int64
	freed     chan struct{} // closed, and replaced, whenever bytes are given back
}

// New returns a budget of size bytes with an overdraft of overdraft bytes (see the package doc).
func New(size, overdraft int64) *Budget {
	return &Budget{size: size, overdraft: overdraft, freed: make(chan struct{})}
}

// Hold is one job's share of a budget.
type Hold struct {
	b    *Budget
	held int64 // guarded by b.mu
}

// Hold starts a job's share, holding nothing yet. Release it when the job's memory is free.
func (b *Budget) Hold() *Hold { return &Hold{b: b} }

// Reserve adds n bytes to the job's share, waiting until they fit or ctx ends.
func (h *Hold) Reserve(ctx context.Context, n int64) error {
	return h.b.reserve(ctx, h, n)
}

// Release gives the job's whole share back. It may be called more than once.
func (h *Hold) Release() {
	b := h.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if h.held == 0 && b.over != h {
		return
	}
	b.used -= h.held
	h.held = 0
	if b.over == h {
		b.over = nil
	}
	close(b.freed)
	b.freed = make(chan struct{})
}

// Held is the job's share.
func (h *Hold) Held() int64 {
	h.b.mu.Lock()
	defer h.b.mu.Unlock()
	return h.held
}

func (b *Budget) reserve(ctx context.Context, h *Hold, n int64) error {
	if n > b.size {
		return ErrTooLarge
	}
	for {
		b.mu.Lock()
		fits := b.used+n <= b.size
		if !fits && h.held > 0 && (b.over == nil || b.over == h) && b.used+n <= b.size+b.overdraft {
			b.over, fits = h, true
		}
		if fits {
			b.used += n
			h.held += n
			b.peak = max(b.peak, b.used)
			b.mu.Unlock()
			return nil
		}
		freed := b.freed
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Used is the bytes reserved now, and the most ever reserved at once.
func (b *Budget) Used() (used, peak int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used, b.peak
}
