package share

import (
	"container/list"
	"sync"
)

// pngCache is an LRU of rendered cards bounded by their total size in bytes, so a viral spike
// across many shares cannot grow the process until it is killed (the ancestor's failure).
type pngCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	order    *list.List // front = most recently used; values are *cacheEntry
	byID     map[string]*list.Element
}

type cacheEntry struct {
	id, etag string
	png      []byte
}

func newPNGCache(maxBytes int) *pngCache {
	return &pngCache{maxBytes: maxBytes, order: list.New(), byID: map[string]*list.Element{}}
}

// get returns the cached card for id if it was rendered for the same etag.
func (c *pngCache) get(id, etag string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byID[id]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if e.etag != etag {
		return nil, false
	}
	c.order.MoveToFront(el)
	return e.png, true
}

// add stores a card, evicting the least recently used until the total fits. A card larger than
// the whole bound is not cached.
func (c *pngCache) add(id, etag string, png []byte) {
	if len(png) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		c.removeElement(el)
	}
	c.byID[id] = c.order.PushFront(&cacheEntry{id: id, etag: etag, png: png})
	c.bytes += len(png)
	for c.bytes > c.maxBytes {
		c.removeElement(c.order.Back())
	}
}

func (c *pngCache) remove(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		c.removeElement(el)
	}
}

func (c *pngCache) removeElement(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	delete(c.byID, e.id)
	c.bytes -= len(e.png)
}

// size reports the number of cards and their total bytes.
func (c *pngCache) size() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}
