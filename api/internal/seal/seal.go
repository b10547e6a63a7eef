// Package seal encrypts small secrets (users' Twitter access tokens) before they are stored, so
// that Redis contents alone do not let anyone call Twitter as a user. AES-256-GCM with a key
// derived from SESSION_SECRET by HKDF; the associated data binds a ciphertext to its owner.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrOpen is returned for a ciphertext that was tampered with, sealed under another secret or
// for another owner.
var ErrOpen = errors.New("seal: cannot open ciphertext")

// Sealer seals and opens values with one derived key.
type Sealer struct{ aead cipher.AEAD }

// New derives the key for purpose (e.g. "access-token") from secret.
func New(secret []byte, purpose string) (*Sealer, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("seal: secret must be at least 32 bytes, got %d", len(secret))
	}
	key, err := hkdf.Key(sha256.New, secret, nil, "nezame/"+purpose, 32)
	if err != nil {
		return nil, fmt.Errorf("seal: derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext for owner and returns base64url text.
func (s *Sealer) Seal(plaintext []byte, owner string) string {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plaintext, []byte(owner)))
}

// Open decrypts text sealed for owner.
func (s *Sealer) Open(text, owner string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return nil, ErrOpen
	}
	n := s.aead.NonceSize()
	pt, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(owner))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}
