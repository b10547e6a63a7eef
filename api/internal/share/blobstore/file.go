package blobstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"
)

// File keeps each blob as DIR/NAME.json. All access goes through an os.Root, so even a name that
// slipped past validation could not reach outside DIR. Expiry is not enforced here: the share
// service removes expired blobs when it meets them.
type File struct {
	root *os.Root
}

// NewFile opens (creating if needed) dir as a store.
func NewFile(dir string) (*File, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create share dir: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open share dir: %w", err)
	}
	return &File{root: root}, nil
}

// Close releases the directory handle.
func (s *File) Close() error { return s.root.Close() }

// Put writes data atomically: a temporary file renamed over the final name.
func (s *File) Put(_ context.Context, name string, data []byte, _ time.Time) error {
	if err := checkName(name); err != nil {
		return err
	}
	if dir := path.Dir(name); dir != "." {
		if err := s.root.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("put %s: %w", name, err)
		}
	}
	file := name + ".json"
	tmp := file + ".tmp"
	if err := s.root.WriteFile(tmp, data, 0o640); err != nil {
		return fmt.Errorf("put %s: %w", name, err)
	}
	if err := s.root.Rename(tmp, file); err != nil {
		_ = s.root.Remove(tmp)
		return fmt.Errorf("put %s: %w", name, err)
	}
	return nil
}

// Get reads a blob; ErrNotFound when absent.
func (s *File) Get(_ context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	b, err := s.root.ReadFile(name + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", name, err)
	}
	if len(b) > MaxBlobBytes {
		return nil, fmt.Errorf("get %s: larger than %d bytes", name, MaxBlobBytes)
	}
	return b, nil
}

// Delete removes a blob; absent is not an error.
func (s *File) Delete(_ context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := s.root.Remove(name + ".json"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	return nil
}

// List returns the blobs directly under dir; a missing dir holds none.
func (s *File) List(_ context.Context, dir string) ([]string, error) {
	if err := checkName(dir); err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(s.root.FS(), dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".json")
		if ok && e.Type().IsRegular() && segment.MatchString(base) {
			names = append(names, dir+"/"+base)
		}
	}
	slices.Sort(names)
	return names, nil
}
