package apperr

import "unicode/utf8"

// Clip shortens text taken from a request to at most n bytes, cut at a character boundary and
// marked with "…", before it is echoed in an error message or logged: a client must not be able
// to grow our answers or logs by sending something long, nor get half a character back.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := max(n, 0)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
