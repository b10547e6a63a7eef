// Package oauthsig verifies OAuth 1.0a HMAC-SHA1 request signatures as RFC 5849 §3.4 defines
// them: the signature base string, parameter collection and normalisation, and percent-encoding.
// It is the provider's half of what github.com/dghubble/oauth1 does on the client, written
// independently so that the emulator checks what a client signs rather than trusting it.
package oauthsig

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"sort"
	"strings"
)

// Param is one request parameter; duplicates are allowed (RFC 5849 §3.4.1.3.1).
type Param struct {
	Key, Value string
}

// ErrMalformed reports an Authorization header or parameter string that cannot be parsed.
var ErrMalformed = errors.New("malformed oauth parameters")

// maxHeaderParams bounds the work a hostile header can cause.
const maxHeaderParams = 64

// ParseAuthorization parses an `Authorization: OAuth k="v", …` header value (RFC 5849 §3.5.1)
// into its parameters, percent-decoded. The realm parameter is returned like any other; callers
// drop it from the signature base. It never panics on any input.
func ParseAuthorization(header string) ([]Param, error) {
	const scheme = "oauth"
	h := strings.TrimSpace(header)
	if len(h) < len(scheme) || !strings.EqualFold(h[:len(scheme)], scheme) {
		return nil, fmt.Errorf("%w: not an OAuth authorization header", ErrMalformed)
	}
	rest := h[len(scheme):]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, fmt.Errorf("%w: not an OAuth authorization header", ErrMalformed)
	}
	var params []Param
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			break
		}
		if len(params) >= maxHeaderParams {
			return nil, fmt.Errorf("%w: too many parameters", ErrMalformed)
		}
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("%w: parameter without value", ErrMalformed)
		}
		rawKey := strings.TrimSpace(rest[:eq])
		if rawKey == "" {
			return nil, fmt.Errorf("%w: empty parameter name", ErrMalformed)
		}
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		if rest == "" || rest[0] != '"' {
			return nil, fmt.Errorf("%w: value of %q is not quoted", ErrMalformed, rawKey)
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, fmt.Errorf("%w: unterminated value of %q", ErrMalformed, rawKey)
		}
		rawValue := rest[1 : 1+end]
		rest = rest[end+2:]
		key, err := url.PathUnescape(rawKey)
		if err != nil {
			return nil, fmt.Errorf("%w: key %q: %v", ErrMalformed, rawKey, err)
		}
		value, err := url.PathUnescape(rawValue)
		if err != nil {
			return nil, fmt.Errorf("%w: value of %q: %v", ErrMalformed, key, err)
		}
		params = append(params, Param{Key: key, Value: value})
		rest = strings.TrimLeft(rest, " \t")
		if rest != "" && rest[0] != ',' {
			return nil, fmt.Errorf("%w: expected ',' after %q", ErrMalformed, key)
		}
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("%w: no parameters", ErrMalformed)
	}
	return params, nil
}

// ParseQuery decodes an application/x-www-form-urlencoded string (a URL query or a form body)
// into parameters in order, keeping duplicates. '+' decodes to a space as in HTML forms.
func ParseQuery(raw string) ([]Param, error) {
	var params []Param
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		params = append(params, Param{Key: key, Value: value})
	}
	return params, nil
}

// IsFormBody reports whether a request body with this Content-Type takes part in the signature
// (RFC 5849 §3.4.1.3.1: single-part application/x-www-form-urlencoded only).
func IsFormBody(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// PercentEncode encodes s as RFC 5849 §3.6 requires: every byte except the unreserved
// characters A-Z a-z 0-9 - . _ ~ becomes %XX with upper-case hex.
func PercentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// BaseURI builds the base string URI (RFC 5849 §3.4.1.2): lower-case scheme and host, the
// scheme's default port dropped, and the escaped path without query or fragment.
func BaseURI(scheme, host, escapedPath string) string {
	scheme = strings.ToLower(scheme)
	host = strings.ToLower(host)
	if h, port, ok := strings.Cut(host, ":"); ok && !strings.Contains(port, ":") {
		if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
			host = h
		}
	}
	if escapedPath == "" {
		escapedPath = "/"
	}
	return scheme + "://" + host + escapedPath
}

// NormalizeParams builds the normalised parameter string (RFC 5849 §3.4.1.3.2): every parameter
// except oauth_signature and realm, encoded, sorted by key then value, joined with '=' and '&'.
func NormalizeParams(params []Param) string {
	enc := make([]Param, 0, len(params))
	for _, p := range params {
		if p.Key == "oauth_signature" || p.Key == "realm" {
			continue
		}
		enc = append(enc, Param{Key: PercentEncode(p.Key), Value: PercentEncode(p.Value)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].Key != enc[j].Key {
			return enc[i].Key < enc[j].Key
		}
		return enc[i].Value < enc[j].Value
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Key)
		b.WriteByte('=')
		b.WriteString(p.Value)
	}
	return b.String()
}

// BaseString builds the signature base string (RFC 5849 §3.4.1.1) from the request method,
// the base string URI and all collected parameters (query, form body and OAuth header).
func BaseString(method, baseURI string, params []Param) string {
	return strings.ToUpper(method) + "&" + PercentEncode(baseURI) + "&" + PercentEncode(NormalizeParams(params))
}

// Sign computes the HMAC-SHA1 signature (RFC 5849 §3.4.2) of a base string, base64-encoded.
func Sign(consumerSecret, tokenSecret, baseString string) string {
	mac := hmac.New(sha1.New, []byte(PercentEncode(consumerSecret)+"&"+PercentEncode(tokenSecret)))
	mac.Write([]byte(baseString))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Valid reports, in constant time, whether signature is the HMAC-SHA1 of baseString.
func Valid(consumerSecret, tokenSecret, baseString, signature string) bool {
	want := Sign(consumerSecret, tokenSecret, baseString)
	return hmac.Equal([]byte(want), []byte(signature))
}
