package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/nezame/nezame/api/internal/emulator/oauthsig"
	"github.com/nezame/nezame/api/internal/emulator/persona"
)

const (
	// maxSkew is how far oauth_timestamp may be from the signature clock.
	maxSkew = 5 * time.Minute
	// requestTokenTTL is the lifetime of an unexchanged request token.
	requestTokenTTL = 10 * time.Minute
	// accessTokenIdleTTL bounds memory: an access token unused this long (on Config.Now) is
	// forgotten. Twitter's tokens never expire; a week outlasts any test or demo session.
	accessTokenIdleTTL = 7 * 24 * time.Hour
	// maxNonces bounds the replay memory; past it requests get 503 "Over capacity".
	maxNonces = 1 << 20
	// maxTokens bounds each token table.
	maxTokens = 1 << 20
	// maxBody bounds a signed form body.
	maxBody = 64 << 10
)

// requestToken is a temporary credential, from request_token to access_token.
type requestToken struct {
	secret   string
	callback string
	expires  time.Time
	user     *persona.User // set by consent
	verifier string
}

// accessToken is a token credential for one persona user and one sign-in.
type accessToken struct {
	token, secret string
	user          persona.User
	lastUsed      time.Time
}

// tokenStore holds request and access tokens; expired entries are swept as new ones arrive.
type tokenStore struct {
	mu       sync.Mutex
	requests map[string]*requestToken
	access   map[string]*accessToken
	inserts  int
}

func newTokenStore() *tokenStore {
	return &tokenStore{requests: map[string]*requestToken{}, access: map[string]*accessToken{}}
}

// sweepLocked drops expired tokens every 1024 insertions, so the cost is amortised.
func (s *tokenStore) sweepLocked(now time.Time) {
	s.inserts++
	if s.inserts%1024 != 0 && len(s.requests)+len(s.access) < maxTokens {
		return
	}
	for k, t := range s.requests {
		if now.After(t.expires) {
			delete(s.requests, k)
		}
	}
	for k, t := range s.access {
		if now.Sub(t.lastUsed) > accessTokenIdleTTL {
			delete(s.access, k)
		}
	}
}

func (s *tokenStore) addRequest(now time.Time, token string, t *requestToken) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	if len(s.requests) >= maxTokens {
		return false
	}
	s.requests[token] = t
	return true
}

// request returns a live request token (a copy).
func (s *tokenStore) request(now time.Time, token string) (requestToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.requests[token]
	if !ok || now.After(t.expires) {
		return requestToken{}, false
	}
	return *t, true
}

// authorize records the consent for a live, not yet authorized request token.
func (s *tokenStore) authorize(now time.Time, token string, u persona.User, verifier string) (callback string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, found := s.requests[token]
	if !found || now.After(t.expires) || t.user != nil {
		return "", false
	}
	t.user = &u
	t.verifier = verifier
	return t.callback, true
}

// takeRequest removes a request token and returns it: request tokens are one-shot.
func (s *tokenStore) takeRequest(now time.Time, token string) (requestToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.requests[token]
	delete(s.requests, token)
	if !ok || now.After(t.expires) {
		return requestToken{}, false
	}
	return *t, true
}

func (s *tokenStore) addAccess(now time.Time, t *accessToken) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	if len(s.access) >= maxTokens {
		return false
	}
	t.lastUsed = now
	s.access[t.token] = t
	return true
}

func (s *tokenStore) accessByToken(now time.Time, token string) (accessToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.access[token]
	if !ok || now.Sub(t.lastUsed) > accessTokenIdleTTL {
		return accessToken{}, false
	}
	t.lastUsed = now
	return *t, true
}

// revoke removes one token, or every token of a screen name; it returns how many went.
func (s *tokenStore) revoke(token, screenName string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, t := range s.access {
		if (token != "" && k == token) || (screenName != "" && t.user.ScreenName() == screenName) {
			delete(s.access, k)
			n++
		}
	}
	return n
}

// nonceStore remembers (consumer, token, timestamp, nonce) for as long as the timestamp is
// acceptable, in one bucket per timestamp minute so that expiry drops whole buckets.
type nonceStore struct {
	mu      sync.Mutex
	buckets map[int64]map[[16]byte]struct{}
	size    int
	max     int
}

func newNonceStore(max int) *nonceStore {
	return &nonceStore{buckets: map[int64]map[[16]byte]struct{}{}, max: max}
}

// check records a nonce; replayed reports a repeat, full that memory is exhausted.
func (s *nonceStore) check(now time.Time, ts int64, key string) (replayed, full bool) {
	sum := sha256.Sum256([]byte(key))
	var k [16]byte
	copy(k[:], sum[:])
	minute := ts / 60
	s.mu.Lock()
	defer s.mu.Unlock()
	oldest := (now.Add(-maxSkew).Unix() - 60) / 60
	for b, m := range s.buckets {
		if b < oldest {
			s.size -= len(m)
			delete(s.buckets, b)
		}
	}
	m := s.buckets[minute]
	if _, ok := m[k]; ok {
		return true, false
	}
	if s.size >= s.max {
		return false, true
	}
	if m == nil {
		m = map[[16]byte]struct{}{}
		s.buckets[minute] = m
	}
	m[k] = struct{}{}
	s.size++
	return false, false
}

func (s *nonceStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// tokenKind says which credential a request must be signed with.
type tokenKind int

const (
	consumerOnly tokenKind = iota
	withRequestToken
	withAccessToken
)

// signed is a request whose signature checked out.
type signed struct {
	oauth  map[string]string // the OAuth protocol parameters from the header
	params url.Values        // query and form body parameters
	access accessToken       // for withAccessToken
	reqTok requestToken      // for withRequestToken
	token  string
}

// authenticate verifies a request's OAuth 1.0a signature (RFC 5849 §3.4) against the consumer
// secret and the secret of the token kind requires.
func (e *Emulator) authenticate(r *http.Request, kind tokenKind) (*signed, *apiError) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, errBadAuthData
	}
	hp, err := oauthsig.ParseAuthorization(header)
	if err != nil {
		return nil, errAuth
	}
	oauth := make(map[string]string, len(hp))
	for _, p := range hp {
		if _, dup := oauth[p.Key]; dup {
			return nil, errAuth
		}
		oauth[p.Key] = p.Value
	}
	qp, err := oauthsig.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errAuth
	}
	all := append(qp, hp...)
	if r.Body != nil && r.Method != http.MethodGet && oauthsig.IsFormBody(r.Header.Get("Content-Type")) {
		b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
		if err != nil {
			return nil, &apiError{http.StatusRequestEntityTooLarge, 32, "Could not authenticate you."}
		}
		bp, err := oauthsig.ParseQuery(string(b))
		if err != nil {
			return nil, errAuth
		}
		all = append(all, bp...)
		qp = append(qp, bp...)
	}
	params := url.Values{}
	for _, p := range qp {
		params.Add(p.Key, p.Value)
	}
	s := &signed{oauth: oauth, params: params, token: oauth["oauth_token"]}

	if oauth["oauth_consumer_key"] != e.cfg.ConsumerKey || oauth["oauth_signature_method"] != "HMAC-SHA1" ||
		oauth["oauth_signature"] == "" || oauth["oauth_nonce"] == "" {
		return nil, errAuth
	}
	if v, ok := oauth["oauth_version"]; ok && v != "1.0" {
		return nil, errAuth
	}
	ts, err := strconv.ParseInt(oauth["oauth_timestamp"], 10, 64)
	sigNow := e.cfg.SignatureClock()
	if err != nil || ts < sigNow.Add(-maxSkew).Unix() || ts > sigNow.Add(maxSkew).Unix() {
		return nil, errAuth
	}

	now := e.cfg.Now()
	tokenSecret := ""
	switch kind {
	case consumerOnly:
		if s.token != "" {
			return nil, errAuth
		}
	case withRequestToken:
		t, ok := e.tokens.request(now, s.token)
		if !ok {
			return nil, errToken
		}
		s.reqTok = t
		tokenSecret = t.secret
	case withAccessToken:
		t, ok := e.tokens.accessByToken(now, s.token)
		if !ok {
			return nil, errToken
		}
		s.access = t
		tokenSecret = t.secret
	}

	base := oauthsig.BaseString(r.Method, e.signedURL(r), all)
	if !oauthsig.Valid(e.cfg.ConsumerSecret, tokenSecret, base, oauth["oauth_signature"]) {
		e.cfg.Logger.Debug("emulator: bad signature", "method", r.Method, "baseURL", e.signedURL(r))
		return nil, errAuth
	}
	// Only signed requests reach the nonce memory, so junk cannot fill it.
	replayed, full := e.nonces.check(sigNow, ts, fmt.Sprintf("%s\x00%s\x00%d\x00%s", e.cfg.ConsumerKey, s.token, ts, oauth["oauth_nonce"]))
	if full {
		return nil, errOverCap
	}
	if replayed {
		return nil, errAuth
	}
	return s, nil
}

// signedURL is the base string URI the client signed: its scheme and host, and the full path
// including BasePath (taken from RequestURI, which http.StripPrefix leaves untouched).
func (e *Emulator) signedURL(r *http.Request) string {
	path := ""
	if r.RequestURI != "" {
		if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
			path = u.EscapedPath()
		}
	}
	if path == "" {
		path = e.cfg.BasePath + r.URL.EscapedPath()
	}
	return oauthsig.BaseURI(requestScheme(r), r.Host, path)
}

// randomToken returns n random bytes, hex-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	// crypto/rand.Read never fails on supported platforms (it panics instead).
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
