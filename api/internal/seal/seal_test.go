package seal

import (
	"bytes"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	s, err := New(secret, "access-token")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New([]byte(strings.Repeat("o", 32)), "access-token")
	otherPurpose, _ := New(secret, "something-else")
	ct := s.Seal([]byte("token:secret"), "user-1")
	if strings.Contains(ct, "token") {
		t.Fatalf("ciphertext leaks plaintext: %s", ct)
	}
	if ct2 := s.Seal([]byte("token:secret"), "user-1"); ct2 == ct {
		t.Fatal("two seals of the same value are identical: nonce reuse")
	}
	pt, err := s.Open(ct, "user-1")
	if err != nil || !bytes.Equal(pt, []byte("token:secret")) {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	tampered := []byte(ct)
	tampered[len(tampered)-3] ^= 1
	for _, tc := range []struct {
		name  string
		s     *Sealer
		text  string
		owner string
	}{
		{"other owner", s, ct, "user-2"},
		{"other secret", other, ct, "user-1"},
		{"other purpose", otherPurpose, ct, "user-1"},
		{"tampered", s, string(tampered), "user-1"},
		{"not base64", s, "!!!", "user-1"},
		{"too short", s, "AAAA", "user-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.s.Open(tc.text, tc.owner); err != ErrOpen {
				t.Fatalf("want ErrOpen, got %v", err)
			}
		})
	}
	if _, err := New([]byte("short"), "x"); err == nil {
		t.Fatal("short secret accepted")
	}
}
