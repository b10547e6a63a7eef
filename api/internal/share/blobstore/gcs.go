package blobstore

import (
	"context"
	"errors"
	"path"
	"strings"
	"time"

	"github.com/nezame/nezame/api/internal/gcs"
)

// GCS keeps each blob as gs://BUCKET/PREFIX/NAME.json. A blob that expires carries its expiry
// as the object's customTime, so a bucket lifecycle rule (daysSinceCustomTime) deletes it even
// if no request ever meets it again.
type GCS struct {
	c      *gcs.Client
	bucket string
	prefix string
}

// NewGCS returns a store on bucket under prefix ("" for the bucket's root).
func NewGCS(c *gcs.Client, bucket, prefix string) *GCS {
	return &GCS{c: c, bucket: bucket, prefix: strings.Trim(prefix, "/")}
}

func (s *GCS) object(name string) string { return path.Join(s.prefix, name+".json") }

// Put uploads data.
func (s *GCS) Put(ctx context.Context, name string, data []byte, expires time.Time) error {
	if err := checkName(name); err != nil {
		return err
	}
	return s.c.Put(ctx, s.bucket, s.object(name), data, gcs.PutOptions{ContentType: "application/json", CustomTime: expires})
}

// Get downloads a blob; ErrNotFound when absent.
func (s *GCS) Get(ctx context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	b, err := s.c.Get(ctx, s.bucket, s.object(name), MaxBlobBytes)
	if errors.Is(err, gcs.ErrNotFound) {
		return nil, ErrNotFound
	}
	return b, err
}

// Delete removes a blob; absent is not an error.
func (s *GCS) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := s.c.Delete(ctx, s.bucket, s.object(name)); err != nil && !errors.Is(err, gcs.ErrNotFound) {
		return err
	}
	return nil
}

// List returns the blobs directly under dir.
func (s *GCS) List(ctx context.Context, dir string) ([]string, error) {
	if err := checkName(dir); err != nil {
		return nil, err
	}
	objs, err := s.c.List(ctx, s.bucket, path.Join(s.prefix, dir)+"/")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, o := range objs {
		rest, _ := strings.CutPrefix(o.Name, path.Join(s.prefix, dir)+"/")
		base, ok := strings.CutSuffix(rest, ".json")
		if ok && segment.MatchString(base) {
			names = append(names, dir+"/"+base)
		}
	}
	return names, nil
}
