package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
)

// testClock is an injectable clock tests move forward.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const testCallback = "http://app.test/auth/callback?from=emu"

// fixture is an emulator on a loopback httptest server.
type fixture struct {
	t     *testing.T
	em    *Emulator
	srv   *httptest.Server
	base  string // what clients use: server URL + mount path
	clock *testClock
}

type mountMode int

const (
	standalone  mountMode = iota
	stripPrefix           // mounted with http.StripPrefix, as the service does in demo mode
	fullPath              // mounted under the prefix without stripping it
)

func newFixture(t *testing.T, cfg Config, mode mountMode) *fixture {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)}
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	var h http.Handler
	mount := ""
	switch mode {
	case standalone:
		h = New(cfg)
	case stripPrefix:
		cfg.BasePath, mount = "/_twitter", "/_twitter"
		mux := http.NewServeMux()
		mux.Handle("/_twitter/", http.StripPrefix("/_twitter", New(cfg)))
		h = mux
	case fullPath:
		cfg.BasePath, mount = "/_twitter/", "/_twitter"
		mux := http.NewServeMux()
		mux.Handle("/_twitter/", New(cfg))
		h = mux
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	f := &fixture{t: t, srv: srv, base: srv.URL + mount, clock: clock}
	switch hh := h.(type) {
	case *Emulator:
		f.em = hh
	}
	return f
}

func (f *fixture) config() *oauth1.Config {
	return &oauth1.Config{
		ConsumerKey:    DefaultConsumerKey,
		ConsumerSecret: DefaultConsumerSecret,
		CallbackURL:    testCallback,
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: f.base + "/oauth/request_token",
			AuthorizeURL:    f.base + "/oauth/authenticate",
			AccessTokenURL:  f.base + "/oauth/access_token",
		},
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// consent submits the consent form and returns the redirect target.
func (f *fixture) consent(form url.Values) *url.URL {
	f.t.Helper()
	resp, err := noRedirect.PostForm(f.base+"/oauth/authenticate", form)
	if err != nil {
		f.t.Fatalf("consent: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b, _ := io.ReadAll(resp.Body)
		f.t.Fatalf("consent status %d: %s", resp.StatusCode, b)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		f.t.Fatalf("consent Location: %v", err)
	}
	return loc
}

// signIn runs request token -> consent -> access token with the real oauth1 client.
func (f *fixture) signIn(who string) *oauth1.Token {
	f.t.Helper()
	cfg := f.config()
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		f.t.Fatalf("RequestToken: %v", err)
	}
	loc := f.consent(url.Values{"oauth_token": {rt}, "persona": {who}})
	token, verifier, err := oauth1.ParseAuthorizationCallback(&http.Request{URL: loc})
	if err != nil {
		f.t.Fatalf("callback %s: %v", loc, err)
	}
	at, as, err := cfg.AccessToken(token, rs, verifier)
	if err != nil {
		f.t.Fatalf("AccessToken: %v", err)
	}
	return oauth1.NewToken(at, as)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) errorCode() int {
	var b struct {
		Errors []struct {
			Code int `json:"code"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &b); err != nil || len(b.Errors) == 0 {
		return -1
	}
	return b.Errors[0].Code
}

// get sends a GET signed with token by the real oauth1 transport.
func (f *fixture) get(cfg *oauth1.Config, token *oauth1.Token, path string) response {
	f.t.Helper()
	client := cfg.Client(context.Background(), token)
	resp, err := client.Get(f.base + path)
	if err != nil {
		f.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("read %s: %v", path, err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

func (f *fixture) admin(method, path, body string) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.base+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, b}
}

func (f *fixture) stats() Stats {
	f.t.Helper()
	r := f.admin("GET", "/_emulator/stats", "")
	var s Stats
	if err := json.Unmarshal(r.body, &s); err != nil {
		f.t.Fatalf("stats: %v: %s", err, r.body)
	}
	return s
}

// recordingTransport keeps the last response body, to read what oauth1 drops.
type recordingTransport struct {
	mu   sync.Mutex
	last []byte
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	rt.mu.Lock()
	rt.last = b
	rt.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

func TestSignInFlow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		mode       mountMode
		who        string
		wantID     string
		wantScreen string
	}{
		{"standalone persona", standalone, "night_owl", "2000000000", "night_owl"},
		{"strip-prefix mount, numbered user", stripPrefix, "night_owl#123", "2000000123", "night_owl_123"},
		{"full-path mount", fullPath, "early_bird#7", "1000000007", "early_bird_7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Config{}, tc.mode)
			cfg := f.config()
			rec := &recordingTransport{}
			cfg.HTTPClient = &http.Client{Transport: rec}
			rt, rs, err := cfg.RequestToken()
			if err != nil {
				t.Fatalf("RequestToken: %v", err)
			}

			page, err := http.Get(f.base + "/oauth/authenticate?oauth_token=" + url.QueryEscape(rt))
			if err != nil {
				t.Fatal(err)
			}
			html, _ := io.ReadAll(page.Body)
			page.Body.Close()
			if page.StatusCode != 200 || !strings.Contains(page.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("consent page: %d %s", page.StatusCode, page.Header.Get("Content-Type"))
			}
			for _, want := range []string{"early_bird", "night_owl", "shift_worker", "chaotic", "silent", "heavy", `name="oauth_token" value="` + rt + `"`, `name="deny"`} {
				if !bytes.Contains(html, []byte(want)) {
					t.Errorf("consent page lacks %q", want)
				}
			}
			for _, external := range []string{"src=", "<link", "<script"} {
				if bytes.Contains(html, []byte(external)) {
					t.Errorf("consent page loads an asset (%q)", external)
				}
			}

			loc := f.consent(url.Values{"oauth_token": {rt}, "persona": {tc.who}})
			if loc.Host != "app.test" || loc.Path != "/auth/callback" || loc.Query().Get("from") != "emu" {
				t.Errorf("redirect to %s, want the callback with its own query kept", loc)
			}
			token, verifier, err := oauth1.ParseAuthorizationCallback(&http.Request{URL: loc})
			if err != nil || token != rt {
				t.Fatalf("callback token %q verifier %q err %v", token, verifier, err)
			}
			at, as, err := cfg.AccessToken(token, rs, verifier)
			if err != nil {
				t.Fatalf("AccessToken: %v", err)
			}
			raw, _ := url.ParseQuery(string(rec.last))
			if raw.Get("user_id") != tc.wantID || raw.Get("screen_name") != tc.wantScreen {
				t.Errorf("access_token answered %q, want user_id %s screen_name %s", rec.last, tc.wantID, tc.wantScreen)
			}

			r := f.get(cfg, oauth1.NewToken(at, as), "/1.1/account/verify_credentials.json")
			if r.status != 200 {
				t.Fatalf("verify_credentials: %d %s", r.status, r.body)
			}
			var u userJSON
			if err := json.Unmarshal(r.body, &u); err != nil {
				t.Fatal(err)
			}
			if u.IDStr != tc.wantID || u.ScreenName != tc.wantScreen || u.Name == "" ||
				u.ProfileImageURLHTTPS != f.base+"/_emulator/avatar/"+tc.wantScreen+"_normal.png" {
				t.Errorf("verify_credentials = %+v", u)
			}
			if got := r.header.Get("x-rate-limit-limit"); got != "75" {
				t.Errorf("x-rate-limit-limit = %q, want 75", got)
			}
			if got := r.header.Get("x-rate-limit-remaining"); got != "74" {
				t.Errorf("x-rate-limit-remaining = %q, want 74", got)
			}

			// The avatar the user JSON points at exists on the emulator.
			img, err := http.Get(u.ProfileImageURLHTTPS)
			if err != nil {
				t.Fatal(err)
			}
			img.Body.Close()
			if img.StatusCode != 200 || img.Header.Get("Content-Type") != "image/png" {
				t.Errorf("avatar: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
			}

			// Request tokens are one-shot.
			if _, _, err := cfg.AccessToken(token, rs, verifier); err == nil || !strings.Contains(err.Error(), "401") {
				t.Errorf("reusing the request token: err = %v, want 401", err)
			}
			if code := (response{body: rec.last}).errorCode(); code != 89 {
				t.Errorf("reuse error code %d, want 89", code)
			}
		})
	}
}

func TestSignInWithUserField(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg := f.config()
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	loc := f.consent(url.Values{"oauth_token": {rt}, "persona": {"heavy"}, "user": {"42"}})
	at, as, err := cfg.AccessToken(rt, rs, loc.Query().Get("oauth_verifier"))
	if err != nil {
		t.Fatal(err)
	}
	r := f.get(cfg, oauth1.NewToken(at, as), "/1.1/account/verify_credentials.json")
	if !bytes.Contains(r.body, []byte(`"screen_name":"heavy_42"`)) {
		t.Errorf("verify_credentials = %s, want heavy_42", r.body)
	}
	// Each sign-in issues a new token and earlier ones stay valid.
	t1 := f.signIn("heavy#42")
	t2 := f.signIn("heavy#42")
	if t1.Token == t2.Token || t1.Token == at {
		t.Error("sign-ins share an access token")
	}
	for _, tok := range []*oauth1.Token{oauth1.NewToken(at, as), t1, t2} {
		if r := f.get(cfg, tok, "/1.1/account/verify_credentials.json"); r.status != 200 {
			t.Errorf("token %s: %d", tok.Token, r.status)
		}
	}
}

func TestDenyFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg := f.config()
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	loc := f.consent(url.Values{"oauth_token": {rt}, "persona": {"night_owl"}, "deny": {"1"}})
	if loc.Query().Get("denied") != rt || loc.Query().Get("oauth_verifier") != "" {
		t.Errorf("deny redirect = %s, want denied=%s", loc, rt)
	}
	if _, _, err := cfg.AccessToken(rt, rs, "anything"); err == nil {
		t.Error("access token issued after a denial")
	}
	// The consent page for a spent token is a clear 400.
	resp, err := http.Get(f.base + "/oauth/authenticate?oauth_token=" + rt)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("consent page of a denied token: %d, want 400", resp.StatusCode)
	}
}

func TestConsentAndRequestTokenErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	cfg := f.config()
	rt, rs, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		form url.Values
	}{
		{"unknown token", url.Values{"oauth_token": {"nope"}, "persona": {"night_owl"}}},
		{"unknown persona", url.Values{"oauth_token": {rt}, "persona": {"vampire"}}},
		{"bad number", url.Values{"oauth_token": {rt}, "persona": {"night_owl#x"}}},
	}
	for _, tc := range tests {
		resp, err := noRedirect.PostForm(f.base+"/oauth/authenticate", tc.form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d, want 400", tc.name, resp.StatusCode)
		}
	}
	// A wrong verifier spends the token and is refused with 89.
	f.consent(url.Values{"oauth_token": {rt}, "persona": {"silent"}})
	if _, _, err := cfg.AccessToken(rt, rs, "wrong"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong verifier: %v", err)
	}

	// Request tokens expire after 10 minutes.
	rt2, rs2, err := cfg.RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	loc := f.consent(url.Values{"oauth_token": {rt2}, "persona": {"silent"}})
	f.clock.Advance(11 * time.Minute)
	if _, _, err := cfg.AccessToken(rt2, rs2, loc.Query().Get("oauth_verifier")); err == nil {
		t.Error("expired request token exchanged")
	}

	// A callback that is neither an absolute URL nor "oob" is refused.
	bad := f.config()
	bad.CallbackURL = "/relative"
	if _, _, err := bad.RequestToken(); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("relative callback: %v", err)
	}
	bad.CallbackURL = ""
	if _, _, err := bad.RequestToken(); err == nil {
		t.Error("missing callback accepted")
	}
}

// fixedNoncer makes every request reuse one nonce.
type fixedNoncer string

func (n fixedNoncer) Nonce() string { return string(n) }

func TestSignatureChecks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, stripPrefix)
	tok := f.signIn("early_bird")
	const path = "/1.1/statuses/user_timeline.json?count=5&trim_user=true"

	wrongSecret := f.config()
	wrongSecret.ConsumerSecret = "not-the-secret"
	wrongKey := f.config()
	wrongKey.ConsumerKey = "someone-else"

	tests := []struct {
		name       string
		cfg        *oauth1.Config
		token      *oauth1.Token
		wantStatus int
		wantCode   int
	}{
		{"valid", f.config(), tok, 200, 0},
		{"wrong consumer secret", wrongSecret, tok, 401, 32},
		{"wrong consumer key", wrongKey, tok, 401, 32},
		{"wrong token secret", f.config(), oauth1.NewToken(tok.Token, "nope"), 401, 32},
		{"unknown token", f.config(), oauth1.NewToken("123-unknown", tok.TokenSecret), 401, 89},
	}
	for _, tc := range tests {
		r := f.get(tc.cfg, tc.token, path)
		if r.status != tc.wantStatus || (tc.wantCode != 0 && r.errorCode() != tc.wantCode) {
			t.Errorf("%s: %d %s, want %d code %d", tc.name, r.status, r.body, tc.wantStatus, tc.wantCode)
		}
	}

	// Unsigned: 400/215 as Twitter answers.
	resp, err := http.Get(f.base + path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || (response{body: b}).errorCode() != 215 {
		t.Errorf("unsigned: %d %s", resp.StatusCode, b)
	}

	// Signed for another URL (the path without the mount prefix): the signature does not match.
	req, _ := http.NewRequest("GET", f.srv.URL+"/1.1/statuses/user_timeline.json", nil)
	signed := f.config().Client(context.Background(), tok)
	signedReq := req.Clone(context.Background())
	var captured string
	signed.Transport.(*oauth1.Transport).Base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		captured = r.Header.Get("Authorization")
		return &http.Response{StatusCode: 204, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})
	if _, err := signed.Do(signedReq); err != nil {
		t.Fatal(err)
	}
	replay, _ := http.NewRequest("GET", f.base+"/1.1/statuses/user_timeline.json", nil)
	replay.Header.Set("Authorization", captured)
	resp, err = http.DefaultClient.Do(replay)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || (response{body: b}).errorCode() != 32 {
		t.Errorf("signature for another path: %d %s", resp.StatusCode, b)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestReplayedNonceAndStaleTimestamp(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	tok := f.signIn("early_bird")
	cfg := f.config()
	cfg.Noncer = fixedNoncer("same-nonce-every-time")
	const path = "/1.1/account/verify_credentials.json"
	if r := f.get(cfg, tok, path); r.status != 200 {
		t.Fatalf("first use of the nonce: %d %s", r.status, r.body)
	}
	// oauth1 signs with whole seconds; the second request within the same second repeats
	// (timestamp, nonce), and in a later second the nonce alone is fine per RFC 5849 §3.3.
	var replayed bool
	for i := 0; i < 3 && !replayed; i++ {
		r := f.get(cfg, tok, path)
		replayed = r.status == 401 && r.errorCode() == 32
	}
	if !replayed {
		t.Error("a replayed (timestamp, nonce) was accepted three times in a row")
	}

	// Stale: the emulator's signature clock is 10 minutes ahead of the client's.
	skewed := newFixture(t, Config{SignatureClock: func() time.Time { return time.Now().Add(10 * time.Minute) }}, standalone)
	if _, _, err := skewed.config().RequestToken(); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("stale timestamp: err = %v, want 401", err)
	}
	nearly := newFixture(t, Config{SignatureClock: func() time.Time { return time.Now().Add(4 * time.Minute) }}, standalone)
	if _, _, err := nearly.config().RequestToken(); err != nil {
		t.Errorf("4 minutes of skew refused: %v", err)
	}
}

func TestNonceStoreBounds(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	s := newNonceStore(3)
	for i := 0; i < 3; i++ {
		if replayed, full := s.check(now, now.Unix(), fmt.Sprint(i)); replayed || full {
			t.Fatalf("nonce %d: replayed %v full %v", i, replayed, full)
		}
	}
	if replayed, _ := s.check(now, now.Unix(), "1"); !replayed {
		t.Error("repeat not detected")
	}
	if _, full := s.check(now, now.Unix(), "new"); !full {
		t.Error("a fourth nonce fit in a store of three")
	}
	later := now.Add(maxSkew + 2*time.Minute)
	if replayed, full := s.check(later, later.Unix(), "new"); replayed || full {
		t.Errorf("expired buckets were not dropped: replayed %v full %v", replayed, full)
	}
	if s.len() != 1 {
		t.Errorf("len = %d after expiry, want 1", s.len())
	}
}

func TestUnknownPath(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, standalone)
	r := f.admin("GET", "/1.1/statuses/home_timeline.json", "")
	if r.status != 404 || r.errorCode() != 34 {
		t.Errorf("unknown path: %d %s", r.status, r.body)
	}
}

// FuzzAuthenticate sends arbitrary Authorization headers and queries through the whole
// handler: it must never panic and never answer anything but a 4xx.
func FuzzAuthenticate(f *testing.F) {
	f.Add(`OAuth oauth_consumer_key="demo-key", oauth_nonce="n", oauth_signature="x", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_token="t"`, "count=5&max_id=9")
	f.Add(`OAuth a="%zz"`, "a=%zz")
	f.Add("Bearer x", "")
	em := New(Config{})
	f.Fuzz(func(t *testing.T, header, query string) {
		for _, path := range []string{"/1.1/statuses/user_timeline.json", "/2/users/1/tweets", "/oauth/access_token"} {
			method := "GET"
			if strings.HasPrefix(path, "/oauth") {
				method = "POST"
			}
			req := httptest.NewRequest(method, "http://emu.test"+path, strings.NewReader(query))
			req.URL.RawQuery = query
			req.Header.Set("Authorization", header)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			em.ServeHTTP(w, req)
			if w.Code < 400 || w.Code > 499 {
				t.Fatalf("%s with %q ?%q: status %d", path, header, query, w.Code)
			}
		}
	})
}

// TestForwardedProto checks the base string URI behind a TLS-terminating proxy: the client signs
// https://…, the emulator sees plain HTTP with X-Forwarded-Proto: https.
func TestForwardedProto(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Config{}, stripPrefix)
	tok := f.signIn("night_owl")
	for _, tc := range []struct {
		name       string
		forwarded  string
		wantStatus int
	}{
		{"proxy says https", "https", 200},
		{"no header", "", 401},
	} {
		client := f.config().Client(context.Background(), tok)
		client.Transport.(*oauth1.Transport).Base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r2 := r.Clone(r.Context())
			r2.URL.Scheme = "http"
			if tc.forwarded != "" {
				r2.Header.Set("X-Forwarded-Proto", tc.forwarded)
			}
			return http.DefaultTransport.RoundTrip(r2)
		})
		resp, err := client.Get(strings.Replace(f.base, "http://", "https://", 1) + "/1.1/account/verify_credentials.json")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.wantStatus {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.wantStatus)
		}
	}
}
