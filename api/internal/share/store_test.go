package share

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// testStore runs the same behaviour checks against any Store.
func testStore(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	id := "AAAAAAAAAAAAAAAAAAAAAA"
	if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get absent: err = %v, want ErrNotFound", err)
	}
	if err := s.Put(ctx, id, []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, id, []byte(`{"a":2}`)); err != nil {
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
	for _, bad := range []string{"", "..", ".", "../x", "a/b", `a\b`, "/etc/passwd", "a\x00b", "x.json"} {
		if err := s.Put(ctx, bad, []byte("x")); err == nil {
			t.Errorf("Put(%q) accepted", bad)
		}
		if _, err := s.Get(ctx, bad); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q) = %v, want a refusal", bad, err)
		}
		if err := s.Delete(ctx, bad); err == nil {
			t.Errorf("Delete(%q) accepted", bad)
		}
	}
}

func TestFileStore(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dir := filepath.Join(parent, "shares")
	s, err := NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	testStore(t, s)

	if err := s.Put(context.Background(), "AAAAAAAAAAAAAAAAAAAAAA", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "AAAAAAAAAAAAAAAAAAAAAA.json" {
		t.Errorf("dir holds %v, want only the record file", entries)
	}
	if p, err := os.ReadDir(parent); err != nil || len(p) != 1 {
		t.Errorf("parent holds %v (%v), want only the store dir", p, err)
	}
}

func TestGCSStoreAgainstFakeServer(t *testing.T) {
	t.Parallel()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		InitialObjects: []fakestorage.Object{}, NoListener: false, Host: "127.0.0.1",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "shares-bucket"})
	s := NewGCSStoreWithClient(srv.Client(), "shares-bucket", "prod/shares")
	testStore(t, s)

	ctx := context.Background()
	if err := s.Put(ctx, "AAAAAAAAAAAAAAAAAAAAAA", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.GetObject("shares-bucket", "prod/shares/AAAAAAAAAAAAAAAAAAAAAA.json"); err != nil {
		t.Errorf("object not under the prefix: %v", err)
	}
}

func TestOpenStore(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := OpenStore(context.Background(), "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*FileStore); !ok {
		t.Fatalf("file:// opened %T", s)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("store dir not created: %v", err)
	}
	for _, bad := range []string{"", "file://", "s3://bucket/x", "gs:///prefix", "./data"} {
		if _, err := OpenStore(context.Background(), bad); err == nil {
			t.Errorf("OpenStore(%q) accepted", bad)
		}
	}
}
