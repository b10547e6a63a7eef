package share

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// FileStore keeps each blob as DIR/<id>.json. All access goes through an os.Root, so even a name
// that slipped past validation could not reach outside DIR.
type FileStore struct {
	root *os.Root
}

// NewFileStore opens (creating if needed) dir as a store.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create share dir: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open share dir: %w", err)
	}
	return &FileStore{root: root}, nil
}

// Close releases the directory handle.
func (s *FileStore) Close() error { return s.root.Close() }

// fileName refuses anything but a plain file name made of the id alphabet.
func fileName(id string) (string, error) {
	if id == "" || len(id) > 64 || strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
		return "", fmt.Errorf("share: invalid blob name %q", id)
	}
	return id + ".json", nil
}

// Put writes data atomically: a temporary file renamed over the final name.
func (s *FileStore) Put(_ context.Context, id string, data []byte) error {
	name, err := fileName(id)
	if err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := s.root.WriteFile(tmp, data, 0o640); err != nil {
		return fmt.Errorf("write share %s: %w", id, err)
	}
	if err := s.root.Rename(tmp, name); err != nil {
		_ = s.root.Remove(tmp)
		return fmt.Errorf("rename share %s: %w", id, err)
	}
	return nil
}

// Get reads a blob; ErrNotFound when absent.
func (s *FileStore) Get(_ context.Context, id string) ([]byte, error) {
	name, err := fileName(id)
	if err != nil {
		return nil, err
	}
	b, err := s.root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read share %s: %w", id, err)
	}
	return b, nil
}

// Delete removes a blob; absent is not an error.
func (s *FileStore) Delete(_ context.Context, id string) error {
	name, err := fileName(id)
	if err != nil {
		return err
	}
	if err := s.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete share %s: %w", id, err)
	}
	return nil
}
