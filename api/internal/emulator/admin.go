package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nezame/nezame/api/internal/emulator/persona"
)

// stats counts API responses by endpoint and status, and posts returned by timeline endpoint.
type stats struct {
	mu        sync.Mutex
	endpoints map[string]map[string]int
	posts     map[string]int
}

func newStats() *stats {
	s := &stats{}
	s.resetLocked()
	return s
}

func (s *stats) resetLocked() {
	s.endpoints = map[string]map[string]int{}
	for _, ep := range []string{epRequestToken, epAuthenticate, epAccessToken, epVerifyCredentials, epUserTimeline, epUsersMe, epUsersTweets} {
		// "200" and "429" are always present so callers can read them without a nil check.
		s.endpoints[ep] = map[string]int{"200": 0, "429": 0}
	}
	s.posts = map[string]int{epUserTimeline: 0, epUsersTweets: 0}
}

func (s *stats) count(endpoint string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endpoints[endpoint][strconv.Itoa(status)]++
}

func (s *stats) addPosts(endpoint string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts[endpoint] += n
}

// Stats is the body of GET /_emulator/stats.
type Stats struct {
	Endpoints     map[string]map[string]int `json:"endpoints"`
	PostsReturned map[string]int            `json:"postsReturned"`
	AppCap        AppCap                    `json:"appCap"`
	Faults        Faults                    `json:"faults"`
	Nonces        int                       `json:"nonces"`
}

// AppCap is the app-wide timeline budget of the current 24-hour window.
type AppCap struct {
	Limit     int   `json:"limit"`
	Remaining int   `json:"remaining"`
	Reset     int64 `json:"reset"` // unix seconds
}

// Snapshot returns the current statistics.
func (e *Emulator) Snapshot() Stats {
	e.stats.mu.Lock()
	out := Stats{Endpoints: map[string]map[string]int{}, PostsReturned: map[string]int{}}
	for ep, m := range e.stats.endpoints {
		c := make(map[string]int, len(m))
		for k, v := range m {
			c[k] = v
		}
		out.Endpoints[ep] = c
	}
	for k, v := range e.stats.posts {
		out.PostsReturned[k] = v
	}
	e.stats.mu.Unlock()
	q := e.limits.appState(e.cfg.Now())
	out.AppCap = AppCap{Limit: q.limit, Remaining: q.remaining, Reset: q.reset.Unix()}
	e.faultMu.Lock()
	out.Faults = e.faults
	e.faultMu.Unlock()
	out.Nonces = e.nonces.len()
	return out
}

func (e *Emulator) handleStats(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, e.Snapshot())
}

// Reset zeroes the counters, the rate-limit windows and the faults; issued tokens stay valid.
func (e *Emulator) Reset() {
	e.stats.mu.Lock()
	e.stats.resetLocked()
	e.stats.mu.Unlock()
	e.limits.reset()
	e.SetFaults(Faults{})
}

func (e *Emulator) handleReset(w http.ResponseWriter, _ *http.Request) {
	e.Reset()
	writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

// SetFaults replaces the injected faults; the zero value clears them.
func (e *Emulator) SetFaults(f Faults) {
	e.faultMu.Lock()
	e.faults = f
	e.faultMu.Unlock()
}

func (f Faults) validate() error {
	switch {
	case f.LatencyMs < 0 || f.LatencyMs > 60000:
		return fmt.Errorf("latencyMs must be 0..60000, got %d", f.LatencyMs)
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return fmt.Errorf("errorRate must be 0..1, got %v", f.ErrorRate)
	case f.TimeoutRate < 0 || f.TimeoutRate > 1:
		return fmt.Errorf("timeoutRate must be 0..1, got %v", f.TimeoutRate)
	}
	return nil
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeAdminError(w, "invalid_body", "malformed JSON body: "+err.Error())
		return false
	}
	return true
}

// writeAdminError answers admin endpoints in the service's own error shape.
func writeAdminError(w http.ResponseWriter, code, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]map[string]string{"error": {"code": code, "message": msg}})
}

func (e *Emulator) handleFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if !decodeAdmin(w, r, &f) {
		return
	}
	if err := f.validate(); err != nil {
		writeAdminError(w, "invalid_faults", err.Error())
		return
	}
	e.SetFaults(f)
	e.cfg.Logger.Info("emulator: faults set", "latencyMs", f.LatencyMs, "errorRate", f.ErrorRate, "timeoutRate", f.TimeoutRate)
	writeJSON(w, http.StatusOK, f)
}

// SetAppRemaining sets how many timeline requests the app may still make in the current 24-hour
// window (0 = budget exhausted); limit > 0 also changes the cap.
func (e *Emulator) SetAppRemaining(remaining, limit int) AppCap {
	q := e.limits.setAppRemaining(e.cfg.Now(), remaining, limit)
	return AppCap{Limit: q.limit, Remaining: q.remaining, Reset: q.reset.Unix()}
}

func (e *Emulator) handleAppCap(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Remaining *int `json:"remaining"`
		Limit     int  `json:"limit"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	if body.Remaining == nil || *body.Remaining < 0 || body.Limit < 0 {
		writeAdminError(w, "invalid_app_cap", `want {"remaining": n >= 0, "limit": optional n > 0}`)
		return
	}
	writeJSON(w, http.StatusOK, e.SetAppRemaining(*body.Remaining, body.Limit))
}

func (e *Emulator) handleRevoke(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Token      string `json:"token"`
		ScreenName string `json:"screenName"`
	}
	if !decodeAdmin(w, r, &body) {
		return
	}
	if body.Token == "" && body.ScreenName == "" {
		writeAdminError(w, "invalid_revoke", `want {"token": "..."} or {"screenName": "..."}`)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"revoked": e.tokens.revoke(body.Token, body.ScreenName)})
}

// handleAvatar draws a flat 96x96 PNG in a colour derived from the screen name, so that user
// JSON can point at an image that exists without any outside host.
func (e *Emulator) handleAvatar(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	name = strings.TrimSuffix(name, "_normal")
	if !ok {
		writeV1Error(w, http.StatusNotFound, 34, "Sorry, that page does not exist.")
		return
	}
	if _, err := persona.UserByScreenName(name); err != nil {
		writeV1Error(w, http.StatusNotFound, 34, "Sorry, that page does not exist.")
		return
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	s := h.Sum32()
	c := color.RGBA{uint8(s), uint8(s >> 8), uint8(s >> 16), 255}
	img := image.NewRGBA(image.Rect(0, 0, 96, 96))
	for y := 0; y < 96; y++ {
		for x := 0; x < 96; x++ {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		writeV1Error(w, http.StatusInternalServerError, 131, "Internal error")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Last-Modified", time.Unix(0, 0).UTC().Format(http.TimeFormat))
	_, _ = w.Write(buf.Bytes())
}

// avatarURL is the profile image of u as seen through this request's public base.
func (e *Emulator) avatarURL(r *http.Request, u persona.User) string {
	return e.publicBase(r) + "/_emulator/avatar/" + u.ScreenName() + "_normal.png"
}
