package blobstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/gcs"
	"github.com/nezame/nezame/api/internal/gcs/gcstest"
)

// testStore runs the same behaviour checks against any Store.
func testStore(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	id := "AAAAAAAAAAAAAAAAAAAAAA"
	if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get absent: err = %v, want ErrNotFound", err)
	}
	if err := s.Put(ctx, id, []byte(`{"a":1}`), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, id, []byte(`{"a":2}`), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, id)
	if err != nil || string(got) != `{"a":2}` {
		t.Fatalf("Get = %q, %v; want the second Put", got, err)
	}
	if err := s.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, id); err != nil {
		t.Fatalf("Delete absent: %v, want nil", err)
	}

	// Listing: only the blobs directly under the directory, in name order.
	if names, err := s.List(ctx, "owners/42"); err != nil || len(names) != 0 {
		t.Fatalf("List of an empty dir = %v, %v", names, err)
	}
	for _, n := range []string{"owners/42/b", "owners/42/a_1-x", "owners/421/c", "owners/4/d"} {
		if err := s.Put(ctx, n, []byte("{}"), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	names, err := s.List(ctx, "owners/42")
	if want := []string{"owners/42/a_1-x", "owners/42/b"}; err != nil || !reflect.DeepEqual(names, want) {
		t.Fatalf("List = %v, %v; want %v", names, err, want)
	}

	for _, bad := range []string{"", "..", ".", "../x", "a//b", `a\b`, "/etc/passwd", "a\x00b", "x.json", "a/b/c/d/e"} {
		if err := s.Put(ctx, bad, []byte("x"), time.Time{}); err == nil {
			t.Errorf("Put(%q) accepted", bad)
		}
		if _, err := s.Get(ctx, bad); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q) = %v, want a refusal", bad, err)
		}
		if err := s.Delete(ctx, bad); err == nil {
			t.Errorf("Delete(%q) accepted", bad)
		}
		if _, err := s.List(ctx, bad); err == nil {
			t.Errorf("List(%q) accepted", bad)
		}
	}
}

func TestFile(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dir := filepath.Join(parent, "shares")
	s, err := NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	testStore(t, s)

	// Records keep the first layout (DIR/<id>.json), so shares made before the index existed
	// are still found.
	if err := s.Put(context.Background(), "AAAAAAAAAAAAAAAAAAAAAA", []byte("{}"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "AAAAAAAAAAAAAAAAAAAAAA.json")); err != nil {
		t.Errorf("record not at DIR/<id>.json: %v", err)
	}
	if p, err := os.ReadDir(parent); err != nil || len(p) != 1 {
		t.Errorf("parent holds %v (%v), want only the store dir", p, err)
	}
}

func TestGCSAgainstFakeServer(t *testing.T) {
	t.Parallel()
	c := gcs.New(gcs.Options{Endpoint: gcstest.Start(t, "shares-bucket")})
	s := NewGCS(c, "shares-bucket", "prod/shares")
	testStore(t, s)

	ctx := context.Background()
	exp := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Put(ctx, "AAAAAAAAAAAAAAAAAAAAAA", []byte("{}"), exp); err != nil {
		t.Fatal(err)
	}
	objs, err := c.List(ctx, "shares-bucket", "prod/shares/AAAA")
	if err != nil || len(objs) != 1 || objs[0].Name != "prod/shares/AAAAAAAAAAAAAAAAAAAAAA.json" {
		t.Fatalf("objects = %+v, %v; want the record under the prefix", objs, err)
	}
	if !objs[0].CustomTime.Equal(exp) {
		t.Errorf("customTime = %v, want the expiry %v (for the bucket's lifecycle rule)", objs[0].CustomTime, exp)
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := Open("file://"+dir, GCSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*File); !ok {
		t.Fatalf("file:// opened %T", s)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("store dir not created: %v", err)
	}
	g, err := Open("gs://bucket/some/prefix/", GCSOptions{Endpoint: "http://127.0.0.1:1"})
	if gs, ok := g.(*GCS); err != nil || !ok || gs.bucket != "bucket" || gs.prefix != "some/prefix" {
		t.Fatalf("gs:// opened %#v, %v", g, err)
	}
	for _, bad := range []string{"", "file://", "s3://bucket/x", "gs:///prefix", "./data"} {
		if _, err := Open(bad, GCSOptions{}); err == nil {
			t.Errorf("Open(%q) accepted", bad)
		}
	}
}
