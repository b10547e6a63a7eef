package apperr

import (
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"abcdefgh", 3, "abc…"},
		{"日本語", 4, "日…"}, // 3-byte runes: byte 4 is inside 本
		{"日本語", 5, "日…"},
		{"日本語", 6, "日本…"},
		{"a日", 2, "a…"},
		{"😀x", 3, "…"},
		{"abc", 0, "…"},
		{"\xff\xfe\xfd", 2, "\xff\xfe…"}, // not UTF-8 to begin with: bytes are their own boundaries
	} {
		got := Clip(tc.s, tc.n)
		if got != tc.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
		if utf8.ValidString(tc.s) && !utf8.ValidString(got) {
			t.Errorf("Clip(%q, %d) = %q cuts a character", tc.s, tc.n, got)
		}
	}
}
