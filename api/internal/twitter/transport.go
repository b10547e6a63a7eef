package twitter

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// twitterHost is the host go-twitter's constant base URL names.
const twitterHost = "api.twitter.com"

// rewriteTransport points requests that go-twitter addresses to https://api.twitter.com at the
// configured base (scheme, host and path prefix) and binds them to the call's context, which
// go-twitter cannot pass. It sits in front of oauth1's signing transport so that the URL that is
// signed is the URL that is sent: the emulator (or Twitter) checks the signature against its own URL.
type rewriteTransport struct {
	base *url.URL
	ctx  context.Context
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := t.ctx
	if ctx == nil {
		ctx = req.Context()
	}
	r := req.Clone(ctx)
	if req.URL.Host == twitterHost {
		u := *req.URL
		u.Scheme = t.base.Scheme
		u.Host = t.base.Host
		u.Path = strings.TrimRight(t.base.Path, "/") + req.URL.Path
		u.RawPath = ""
		r.URL = &u
		r.Host = ""
	}
	return t.next.RoundTrip(r)
}

// ctxTransport binds requests made by libraries that take no context (oauth1's RequestToken and
// AccessToken) to the call's context, and remembers the last response's status so that errors
// those libraries flatten into text can still be classified.
type ctxTransport struct {
	ctx    context.Context
	next   http.RoundTripper
	status int
	header http.Header
}

func (t *ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req.Clone(t.ctx))
	if resp != nil {
		t.status = resp.StatusCode
		t.header = resp.Header
	}
	return resp, err
}

// newBaseTransport is the connection pool shared by all of a Client's requests.
func newBaseTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 64
	tr.IdleConnTimeout = 90 * time.Second
	return tr
}
