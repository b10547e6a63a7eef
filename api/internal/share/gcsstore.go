package share

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"time"

	"cloud.google.com/go/storage"
)

// gcsTimeout bounds every call to Cloud Storage.
const gcsTimeout = 10 * time.Second

// GCSStore keeps each blob as gs://BUCKET/PREFIX/<id>.json. It is a thin adapter over
// cloud.google.com/go/storage.
type GCSStore struct {
	bucket *storage.BucketHandle
	prefix string
}

// NewGCSStore connects with Application Default Credentials (the Cloud Run service account).
func NewGCSStore(ctx context.Context, bucket, prefix string) (*GCSStore, error) {
	c, err := storage.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("gcs client: %w", err)
	}
	return NewGCSStoreWithClient(c, bucket, prefix), nil
}

// NewGCSStoreWithClient uses an existing client (tests pass one for a local fake server).
func NewGCSStoreWithClient(c *storage.Client, bucket, prefix string) *GCSStore {
	return &GCSStore{bucket: c.Bucket(bucket), prefix: prefix}
}

func (s *GCSStore) object(id string) (*storage.ObjectHandle, error) {
	name, err := fileName(id)
	if err != nil {
		return nil, err
	}
	return s.bucket.Object(path.Join(s.prefix, name)), nil
}

// Put uploads data.
func (s *GCSStore) Put(ctx context.Context, id string, data []byte) error {
	obj, err := s.object(id)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, gcsTimeout)
	defer cancel()
	w := obj.NewWriter(ctx)
	w.ContentType = "application/json"
	if _, err := w.Write(data); err != nil {
		_ = w.Close()
		return fmt.Errorf("upload share %s: %w", id, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("upload share %s: %w", id, err)
	}
	return nil
}

// Get downloads a blob; ErrNotFound when absent.
func (s *GCSStore) Get(ctx context.Context, id string) ([]byte, error) {
	obj, err := s.object(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, gcsTimeout)
	defer cancel()
	r, err := obj.NewReader(ctx)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("download share %s: %w", id, err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("download share %s: %w", id, err)
	}
	return b, nil
}

// Delete removes a blob; absent is not an error.
func (s *GCSStore) Delete(ctx context.Context, id string) error {
	obj, err := s.object(id)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, gcsTimeout)
	defer cancel()
	if err := obj.Delete(ctx); err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
		return fmt.Errorf("delete share %s: %w", id, err)
	}
	return nil
}
