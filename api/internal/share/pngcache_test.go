package share

import (
	"bytes"
	"testing"
)

func TestPNGCacheBoundedByBytes(t *testing.T) {
	t.Parallel()
	c := newPNGCache(100)
	c.add("a", "1", make([]byte, 40))
	c.add("b", "1", make([]byte, 40))
	if _, ok := c.get("a", "1"); !ok { // a becomes most recent
		t.Fatal("a missing")
	}
	c.add("c", "1", make([]byte, 40)) // evicts b, the least recently used
	if _, ok := c.get("b", "1"); ok {
		t.Error("b survived eviction")
	}
	for _, id := range []string{"a", "c"} {
		if _, ok := c.get(id, "1"); !ok {
			t.Errorf("%s evicted", id)
		}
	}
	if n, size := c.size(); n != 2 || size != 80 {
		t.Errorf("size = %d cards, %d bytes; want 2, 80", n, size)
	}
	c.add("huge", "1", make([]byte, 101))
	if _, ok := c.get("huge", "1"); ok {
		t.Error("a card larger than the bound was cached")
	}
	c.add("a", "2", []byte("new"))
	if _, ok := c.get("a", "1"); ok {
		t.Error("stale etag served")
	}
	if b, ok := c.get("a", "2"); !ok || !bytes.Equal(b, []byte("new")) {
		t.Error("replaced card missing")
	}
	if _, size := c.size(); size != 43 {
		t.Errorf("bytes = %d after replace, want 43", size)
	}
	c.remove("a")
	c.remove("missing")
	if n, size := c.size(); n != 1 || size != 40 {
		t.Errorf("after remove: %d cards, %d bytes; want 1, 40", n, size)
	}
}
