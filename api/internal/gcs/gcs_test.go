package gcs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/gcs/gcstest"
)

func TestClientAgainstFakeGCS(t *testing.T) {
	t.Parallel()
	c := New(Options{Endpoint: gcstest.Start(t, "b")})
	ctx := context.Background()
	name := "prefix/owners/42/0001_x y+z.json" // spaces and '+' must survive path escaping

	if _, err := c.Get(ctx, "b", name, 1<<20); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get absent = %v, want ErrNotFound", err)
	}
	exp := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := c.Put(ctx, "b", name, []byte(`{"a":1}`), PutOptions{ContentType: "application/json", CustomTime: exp,
		Metadata: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, "b", name, []byte(`{"a":2}`), PutOptions{ContentType: "application/json", CustomTime: exp,
		Metadata: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "b", name, 1<<20)
	if err != nil || string(got) != `{"a":2}` {
		t.Fatalf("Get = %q, %v; want the second Put", got, err)
	}
	if _, err := c.Get(ctx, "b", name, 3); err == nil {
		t.Error("Get over maxBytes accepted")
	}
	if err := c.Put(ctx, "b", "prefix/other", []byte("x"), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, "b", "elsewhere/x", []byte("x"), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	objs, err := c.List(ctx, "b", "prefix/")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].Name != "prefix/other" || objs[1].Name != name {
		t.Fatalf("List = %+v, want the two objects under prefix/ in name order", objs)
	}
	if !objs[1].CustomTime.Equal(exp) || objs[1].Metadata["k"] != "v" {
		t.Errorf("listed attributes = %+v, want customTime %v and metadata k=v", objs[1], exp)
	}
	if err := c.Delete(ctx, "b", name); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, "b", name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete = %v, want ErrNotFound", err)
	}
	if _, err := c.Get(ctx, "b", name, 1<<20); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := c.Put(ctx, "no-such-bucket", "x", []byte("x"), PutOptions{}); err == nil {
		t.Error("Put into a missing bucket succeeded")
	}
}

func TestListFollowsPages(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("pageToken") {
		case "":
			fmt.Fprint(w, `{"items":[{"name":"p/1"}],"nextPageToken":"t2"}`)
		case "t2":
			fmt.Fprint(w, `{"items":[{"name":"p/2"}]}`)
		}
	}))
	t.Cleanup(srv.Close)
	objs, err := New(Options{Endpoint: srv.URL}).List(context.Background(), "b", "p/")
	if err != nil || len(objs) != 2 || objs[1].Name != "p/2" {
		t.Fatalf("List = %+v, %v; want both pages", objs, err)
	}
}

// A server that never answers costs a call its timeout, not a hung request.
func TestEveryCallHasATimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	c := New(Options{Endpoint: srv.URL, Timeout: 100 * time.Millisecond})
	ctx := context.Background()
	calls := map[string]func() error{
		"put":    func() error { return c.Put(ctx, "b", "x", []byte("x"), PutOptions{}) },
		"get":    func() error { _, err := c.Get(ctx, "b", "x", 10); return err },
		"delete": func() error { return c.Delete(ctx, "b", "x") },
		"list":   func() error { _, err := c.List(ctx, "b", "x"); return err },
	}
	for name, call := range calls {
		start := time.Now()
		err := call()
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Errorf("%s against a silent server = %v after %v, want a deadline error", name, err, time.Since(start))
		}
	}
}

func TestMetadataTokens(t *testing.T) {
	t.Parallel()
	var fetches atomic.Int32
	meta := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Metadata-Flavor") != "Google" {
			http.Error(w, "missing Metadata-Flavor", http.StatusForbidden)
			return
		}
		n := fetches.Add(1)
		fmt.Fprintf(w, `{"access_token":"tok-%d","expires_in":3600,"token_type":"Bearer"}`, n)
	}))
	t.Cleanup(meta.Close)
	var seen atomic.Value
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Get("Authorization"))
		http.NotFound(w, r)
	}))
	t.Cleanup(api.Close)

	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tokens := NewMetadataTokens(meta.URL, nil, func() time.Time { return now })
	c := New(Options{Endpoint: api.URL, Tokens: tokens})
	for range 3 {
		_, _ = c.Get(context.Background(), "b", "x", 10)
	}
	if got := seen.Load(); got != "Bearer tok-1" || fetches.Load() != 1 {
		t.Fatalf("Authorization %q after %d token fetches, want one reused token", got, fetches.Load())
	}
	now = now.Add(59 * time.Minute) // within the renewal slack before expiry
	_, _ = c.Get(context.Background(), "b", "x", 10)
	if got := seen.Load(); got != "Bearer tok-2" {
		t.Fatalf("Authorization %q near expiry, want a renewed token", got)
	}

	bad := NewMetadataTokens(api.URL, nil, time.Now) // answers 404
	if _, err := bad.Token(context.Background()); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("token from a failing metadata server = %v", err)
	}
}
