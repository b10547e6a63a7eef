package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/gcs"
	"github.com/nezame/nezame/api/internal/gcs/gcstest"
	"github.com/nezame/nezame/api/internal/ratelimit"
	"github.com/nezame/nezame/api/internal/share/blobstore"
	"github.com/nezame/nezame/api/internal/share/sharetest"
)

// shareCall makes a same-site request (Origin: the service) unless hdr overrides it.
func shareCall(t testing.TB, st *stack, b *http.Client, method, path, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, st.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", st.srv.URL)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

type shareJSON struct {
	ID          string     `json:"id"`
	URL         string     `json:"url"`
	ImageURL    string     `json:"imageUrl"`
	CreatedAt   time.Time  `json:"createdAt"`
	ExpiresAt   *time.Time `json:"expiresAt"`
	DeleteToken string     `json:"deleteToken"`
}

func decodeShare(t testing.TB, data []byte) shareJSON {
	t.Helper()
	var s shareJSON
	if err := json.Unmarshal(data, &s); err != nil || s.ID == "" {
		t.Fatalf("share body %s: %v", data, err)
	}
	return s
}

// signInReady signs persona in and waits until their posts have been read (the first view may
// answer 202 fetching while that runs), so share requests meet a ready analysis.
func signInReady(t testing.TB, st *stack, b *http.Client, persona string) {
	t.Helper()
	signIn(t, st, b, persona)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, data := shareCall(t, st, b, "GET", "/api/periods?tz=UTC", "")
		if resp.StatusCode == 200 {
			return
		}
		if resp.StatusCode != 202 || time.Now().After(deadline) {
			t.Fatalf("periods for %s = %d %s", persona, resp.StatusCode, data)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func errorCode(data []byte) string {
	var e errJSON
	_ = json.Unmarshal(data, &e)
	return e.Error.Code
}

var statRe = regexp.MustCompile(`<dt>([^<]*)</dt><dd>([^<]*)</dd>`)

// pageStats reads the figures a share page shows, by label.
func pageStats(html []byte) map[string]string {
	m := map[string]string{}
	for _, s := range statRe.FindAllSubmatch(html, -1) {
		m[string(s[1])] = string(s[2])
	}
	return m
}

func TestShareOptionsAreValidated(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signInReady(t, st, b, "early_bird")
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"no body", "", 400, "invalid_timezone"},
		{"no tz", `{"lang":"en"}`, 400, "invalid_timezone"},
		{"empty tz", `{"tz":""}`, 400, "invalid_timezone"},
		{"unknown zone", `{"tz":"Mars/Olympus_Mons"}`, 400, "invalid_timezone"},
		{"unknown lang", `{"tz":"Asia/Tokyo","lang":"fr"}`, 400, "invalid_share"},
		{"zero days", `{"tz":"Asia/Tokyo","expiresInDays":0}`, 400, "invalid_share"},
		{"too many days", `{"tz":"Asia/Tokyo","expiresInDays":366}`, 400, "invalid_share"},
		{"fractional days", `{"tz":"Asia/Tokyo","expiresInDays":1.5}`, 400, "invalid_body"},
		{"a summary is for archives", `{"tz":"Asia/Tokyo","summary":{}}`, 400, "invalid_body"},
		{"not JSON", `tz=Asia/Tokyo`, 400, "invalid_body"},
		{"too large", `{"tz":"` + strings.Repeat("a", 5000) + `"}`, 413, "body_too_large"},
	}
	for _, path := range []string{"/api/shares", "/api/shares/preview"} {
		for _, tc := range tests {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				resp, data := shareCall(t, st, b, "POST", path, tc.body)
				if resp.StatusCode != tc.status || errorCode(data) != tc.code {
					t.Fatalf("%d %s, want %d %s", resp.StatusCode, data, tc.status, tc.code)
				}
			})
		}
	}
	resp, data := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"Asia/Tokyo","lang":"ja","expiresInDays":null}`)
	if resp.StatusCode != 201 {
		t.Fatalf("valid share = %d %s", resp.StatusCode, data)
	}
	if s := decodeShare(t, data); s.ExpiresAt != nil || s.CreatedAt.IsZero() {
		t.Errorf("share = %+v; want createdAt and a null expiresAt", s)
	}
	// Every state-changing share route refuses other sites.
	for _, p := range []string{"/api/shares", "/api/shares/preview", "/api/shares/archive", "/api/shares/archive/preview"} {
		if resp, _ := shareCall(t, st, b, "POST", p, `{"tz":"UTC"}`, "Origin", "https://evil.example"); resp.StatusCode != 403 {
			t.Errorf("cross-site POST %s = %d", p, resp.StatusCode)
		}
	}
	if resp, _ := shareCall(t, st, b, "DELETE", "/api/shares/AAAAAAAAAAAAAAAAAAAAAA", "", "Origin", ""); resp.StatusCode != 403 {
		t.Errorf("DELETE without Origin = %d", resp.StatusCode)
	}
}

// The regression of the UTC cards: a Tokyo night owl's card and page show the figures the
// calendar shows in Asia/Tokyo, and name the zone.
func TestShareCardIsInTheCallersZone(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signInReady(t, st, b, "night_owl")
	analysis := func(tz string) analyzer.Analysis {
		resp, data := shareCall(t, st, b, "GET", "/api/periods?tz="+tz, "")
		var a analyzer.Analysis
		if err := json.Unmarshal(data, &a); resp.StatusCode != 200 || err != nil {
			t.Fatalf("periods %s = %d %v", tz, resp.StatusCode, err)
		}
		return a
	}
	tokyo, utc := analysis("Asia/Tokyo"), analysis("UTC")
	if tokyo.Stats.WakeTime == nil || tokyo.Stats.SRI == nil || tokyo.Stats.SleepHours == nil {
		t.Fatalf("the night owl has too little data: %+v", tokyo.Stats)
	}
	if *tokyo.Stats.WakeTime == *utc.Stats.WakeTime {
		t.Fatalf("wake time %s is the same in Tokyo and UTC: the test would not tell them apart", *tokyo.Stats.WakeTime)
	}
	resp, data := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"Asia/Tokyo"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("share = %d %s", resp.StatusCode, data)
	}
	s := decodeShare(t, data)
	_, html := shareCall(t, st, browser(t), "GET", "/s/"+s.ID, "")
	got := pageStats(html)
	one := func(f *float64) string { return fmt.Sprintf("%.1f", math.Floor(*f*10+0.5)/10) }
	want := map[string]string{
		"Time zone":         "Asia/Tokyo",
		"Typical wake time": *tokyo.Stats.WakeTime,
		"Typical bedtime":   *tokyo.Stats.BedTime,
		"Sleep length":      one(tokyo.Stats.SleepHours) + " h",
		"Regularity (SRI)":  one(tokyo.Stats.SRI),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("page %s = %q, want %q (Tokyo's analysis)", k, got[k], v)
		}
	}
	if !bytes.Contains(html, []byte("times in Asia/Tokyo")) {
		t.Error("page description does not name the zone")
	}
	// The card is the one the preview in Tokyo draws, and not the one in UTC.
	_, card := shareCall(t, st, browser(t), "GET", "/s/"+s.ID+".png", "")
	_, inTokyo := shareCall(t, st, b, "POST", "/api/shares/preview", `{"tz":"Asia/Tokyo"}`)
	_, inUTC := shareCall(t, st, b, "POST", "/api/shares/preview", `{"tz":"UTC"}`)
	if !bytes.Equal(card, inTokyo) || bytes.Equal(card, inUTC) {
		t.Errorf("card (%d bytes) equals the Tokyo preview: %v, the UTC one: %v", len(card), bytes.Equal(card, inTokyo), bytes.Equal(card, inUTC))
	}
}

func TestSharePreviewStoresNothing(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signInReady(t, st, b, "early_bird")
	resp, png := shareCall(t, st, b, "POST", "/api/shares/preview", `{"tz":"Europe/London","lang":"ja","expiresInDays":30}`)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Cache-Control") != "no-store" ||
		!bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("preview = %d %v %.20q", resp.StatusCode, resp.Header, png)
	}
	if _, list := shareCall(t, st, b, "GET", "/api/shares", ""); string(list) != "[]" {
		t.Fatalf("my shares after a preview = %s, want []", list)
	}
	_, data := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"Europe/London","lang":"ja","expiresInDays":30}`)
	_, card := shareCall(t, st, browser(t), "GET", "/s/"+decodeShare(t, data).ID+".png", "")
	if !bytes.Equal(card, png) {
		t.Error("the published card differs from its preview")
	}
}

func TestMySharesListDeleteAndExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	st := newStackWith(t, stackOptions{now: clock})
	b, other := browser(t), browser(t)
	signInReady(t, st, b, "night_owl")
	signInReady(t, st, other, "early_bird")
	if resp, _ := shareCall(t, st, browser(t), "GET", "/api/shares", ""); resp.StatusCode != 401 {
		t.Fatalf("list without a session = %d", resp.StatusCode)
	}
	_, data := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"Asia/Tokyo"}`)
	first := decodeShare(t, data)
	// A second click makes no second public URL.
	resp, data := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"Asia/Tokyo"}`)
	if again := decodeShare(t, data); resp.StatusCode != 200 || again.ID != first.ID {
		t.Fatalf("same share again = %d %s, want 200 with %s", resp.StatusCode, data, first.ID)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	resp, data = shareCall(t, st, b, "POST", "/api/shares", `{"tz":"Asia/Tokyo","lang":"ja","expiresInDays":1}`)
	second := decodeShare(t, data)
	if resp.StatusCode != 201 || second.ExpiresAt == nil || second.ExpiresAt.Sub(second.CreatedAt) != 24*time.Hour {
		t.Fatalf("expiring share = %d %s", resp.StatusCode, data)
	}
	resp, data = shareCall(t, st, b, "GET", "/api/shares", "")
	var list []shareJSON
	if err := json.Unmarshal(data, &list); err != nil || resp.StatusCode != 200 || len(list) != 2 ||
		list[0].ID != second.ID || list[1].ID != first.ID || list[1].URL != first.URL || list[0].ExpiresAt == nil {
		t.Fatalf("my shares = %d %s, want the two, newest first", resp.StatusCode, data)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("list Cache-Control = %q", cc)
	}
	if _, d := shareCall(t, st, other, "GET", "/api/shares", ""); string(d) != "[]" {
		t.Errorf("someone else's list = %s", d)
	}
	// The expiring card may be cached no longer than it lives.
	resp, _ = shareCall(t, st, browser(t), "GET", "/s/"+second.ID+".png", "")
	var maxAge int
	fmt.Sscanf(resp.Header.Get("Cache-Control"), "public, max-age=%d", &maxAge)
	if resp.StatusCode != 200 || maxAge <= 0 || maxAge > 3600 || strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("expiring card: %d Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	resp, page := shareCall(t, st, browser(t), "GET", "/s/"+second.ID, "")
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte(`<html lang="ja">`)) || !bytes.Contains(page, []byte("さんの睡眠カレンダー")) {
		t.Errorf("japanese page = %d %.300s", resp.StatusCode, page)
	}
	// Deleting: only the owner, and twice is fine.
	if resp, d := shareCall(t, st, other, "DELETE", "/api/shares/"+first.ID, ""); resp.StatusCode != 403 || errorCode(d) != "not_owner" {
		t.Fatalf("delete by someone else = %d %s", resp.StatusCode, d)
	}
	for range 2 {
		if resp, d := shareCall(t, st, b, "DELETE", "/api/shares/"+first.ID, ""); resp.StatusCode != 204 {
			t.Fatalf("delete = %d %s", resp.StatusCode, d)
		}
	}
	for _, p := range []string{"/s/" + first.ID, "/s/" + first.ID + ".png"} {
		if resp, d := shareCall(t, st, browser(t), "GET", p, ""); resp.StatusCode != 404 || !bytes.Contains(d, []byte("does not exist")) {
			t.Errorf("GET %s after delete = %d", p, resp.StatusCode)
		}
	}
	if _, d := shareCall(t, st, b, "GET", "/api/shares", ""); !strings.Contains(string(d), second.ID) || strings.Contains(string(d), first.ID) {
		t.Fatalf("list after delete = %s", d)
	}
	// A day later the expiring share is gone: 404 and off the list.
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	if resp, d := shareCall(t, st, browser(t), "GET", "/s/"+second.ID, ""); resp.StatusCode != 404 || !bytes.Contains(d, []byte("expired")) {
		t.Errorf("expired page = %d %.200s", resp.StatusCode, d)
	}
	if _, d := shareCall(t, st, b, "GET", "/api/shares", ""); string(d) != "[]" {
		t.Errorf("list after expiry = %s", d)
	}
}

// summaryFor is an archive summary as the web client sends it: an analysis of made-up post
// times in loc, on the grid and without post times.
func summaryFor(t testing.TB, tz string) string {
	t.Helper()
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 10, 1, 0, 0, 0, 0, loc)
	var times []int64
	for d := range 20 {
		for m := 8 * 60; m < 23*60; m += 40 {
			times = append(times, first.AddDate(0, 0, d).Add(time.Duration(m)*time.Minute).UnixMilli())
		}
	}
	return string(sharetest.Summary(t, analyzer.AnalyzeTimes(times, loc, analyzer.Window{})))
}

func TestArchiveShares(t *testing.T) {
	st := newStack(t)
	anon := browser(t)
	summary := summaryFor(t, "Europe/Berlin")
	body := `{"tz":"Europe/Berlin","lang":"en","expiresInDays":null,"summary":` + summary + `}`

	resp, png := shareCall(t, st, anon, "POST", "/api/shares/archive/preview", body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("archive preview = %d %s", resp.StatusCode, png)
	}
	resp, data := shareCall(t, st, anon, "POST", "/api/shares/archive", body)
	if resp.StatusCode != 201 {
		t.Fatalf("archive share = %d %s", resp.StatusCode, data)
	}
	s := decodeShare(t, data)
	if len(s.DeleteToken) < 40 {
		t.Fatalf("no delete token: %s", data)
	}
	_, page := shareCall(t, st, browser(t), "GET", "/s/"+s.ID, "")
	if !bytes.Contains(page, []byte("from a Twitter archive")) || bytes.Contains(page, []byte("@")) {
		t.Errorf("anonymous archive page: want the source said and no handle: %.600s", page)
	}
	if _, card := shareCall(t, st, browser(t), "GET", "/s/"+s.ID+".png", ""); !bytes.Equal(card, png) {
		t.Error("archive card differs from its preview")
	}
	// Deleting without a session: the token, and only the token.
	if resp, d := shareCall(t, st, anon, "DELETE", "/api/shares/"+s.ID, ""); resp.StatusCode != 401 {
		t.Errorf("delete with nothing = %d %s", resp.StatusCode, d)
	}
	if resp, d := shareCall(t, st, anon, "DELETE", "/api/shares/"+s.ID, "", "Authorization", "Bearer nope"); resp.StatusCode != 403 {
		t.Errorf("delete with a wrong token = %d %s", resp.StatusCode, d)
	}
	for range 2 {
		if resp, d := shareCall(t, st, anon, "DELETE", "/api/shares/"+s.ID, "", "Authorization", "Bearer "+s.DeleteToken); resp.StatusCode != 204 {
			t.Fatalf("delete with the token = %d %s", resp.StatusCode, d)
		}
	}
	if resp, _ := shareCall(t, st, browser(t), "GET", "/s/"+s.ID, ""); resp.StatusCode != 404 {
		t.Errorf("page after delete = %d", resp.StatusCode)
	}

	// Signed in: the handle is on the card and the share is among mine.
	b := browser(t)
	signInReady(t, st, b, "night_owl")
	resp, data = shareCall(t, st, b, "POST", "/api/shares/archive", body)
	mine := decodeShare(t, data)
	_, page = shareCall(t, st, browser(t), "GET", "/s/"+mine.ID, "")
	if resp.StatusCode != 201 || !bytes.Contains(page, []byte("@night_owl")) {
		t.Errorf("signed-in archive share = %d, page %.300s", resp.StatusCode, page)
	}
	if _, list := shareCall(t, st, b, "GET", "/api/shares", ""); !strings.Contains(string(list), mine.ID) {
		t.Errorf("my shares = %s, want the archive share", list)
	}

	// Never post times; a summary that is off is a precise 400.
	bad := []struct{ name, body, want string }{
		{"timestamps", `{"tz":"Europe/Berlin","summary":{"timestamps":[1793487600000]}}`, `unknown field \"timestamps\"`},
		{"timestamps beside", `{"tz":"Europe/Berlin","timestamps":[1],"summary":` + summary + `}`, ""},
		{"no summary", `{"tz":"Europe/Berlin"}`, "summary: missing"},
		{"zone differs", `{"tz":"Asia/Tokyo","summary":` + summary + `}`, "summary.timezone"},
		{"no tz", `{"summary":` + summary + `}`, ""},
	}
	for _, tc := range bad {
		resp, d := shareCall(t, st, anon, "POST", "/api/shares/archive", tc.body)
		if resp.StatusCode != 400 || !strings.Contains(string(d), tc.want) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, d)
		}
	}
}

func TestSharePagesAnswerHEADAndRevalidation(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signInReady(t, st, b, "early_bird")
	_, data := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"America/New_York"}`)
	s := decodeShare(t, data)
	for _, p := range []string{"/s/" + s.ID, "/s/" + s.ID + ".png", "/api/shares"} {
		get, gbody := shareCall(t, st, b, "GET", p, "")
		head, hbody := shareCall(t, st, b, "HEAD", p, "")
		if head.StatusCode != 200 || len(hbody) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s = %d, %d body bytes, %q", p, head.StatusCode, len(hbody), head.Header.Get("Content-Type"))
		}
		if p != "/api/shares" && head.ContentLength != int64(len(gbody)) {
			t.Errorf("HEAD %s Content-Length %d, GET body %d", p, head.ContentLength, len(gbody))
		}
	}
	resp, _ := shareCall(t, st, b, "GET", "/s/"+s.ID+".png", "")
	etag := resp.Header.Get("ETag")
	// Cached for an hour at most and never immutable: a deleted card must leave caches soon.
	if resp.Header.Get("Cache-Control") != "public, max-age=3600" || len(etag) != 34 {
		t.Fatalf("card headers %v", resp.Header)
	}
	if resp, d := shareCall(t, st, b, "GET", "/s/"+s.ID+".png", "", "If-None-Match", etag); resp.StatusCode != 304 || len(d) != 0 {
		t.Errorf("revalidation = %d with %d bytes", resp.StatusCode, len(d))
	}
	if resp, d := shareCall(t, st, b, "GET", "/s/BBBBBBBBBBBBBBBBBBBBBA", ""); resp.StatusCode != 404 ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.Contains(d, []byte("このシェアはありません")) {
		t.Errorf("unknown share = %d %s", resp.StatusCode, d)
	}
}

func TestShareLimits(t *testing.T) {
	st := newStackWith(t, stackOptions{limits: ratelimit.Limits{
		"share_owner": {Rate: 1, Burst: 1, Period: time.Hour},
		"share":       {Rate: 3, Burst: 3, Period: time.Hour},
	}})
	b := browser(t)
	signInReady(t, st, b, "early_bird")
	if resp, d := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"UTC"}`); resp.StatusCode != 201 {
		t.Fatalf("first share = %d %s", resp.StatusCode, d)
	}
	resp, d := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"UTC","lang":"ja"}`)
	var limited struct {
		RetryAfter int       `json:"retryAfter"`
		ResetAt    time.Time `json:"resetAt"`
		Reason     string    `json:"reason"`
	}
	_ = json.Unmarshal(d, &limited)
	if resp.StatusCode != 429 || errorCode(d) != "rate_limited" || resp.Header.Get("Retry-After") == "" ||
		limited.Reason != "client" || limited.RetryAfter <= 0 || limited.ResetAt.Before(time.Now()) {
		t.Fatalf("second share within the hour = %d %s", resp.StatusCode, d)
	}
	// Per address: anonymous archive shares from one IP.
	body := `{"tz":"UTC","summary":` + summaryFor(t, "UTC") + `}`
	codes := []int{}
	for range 3 {
		resp, _ := shareCall(t, st, browser(t), "POST", "/api/shares/archive", body)
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 201 || codes[2] != 429 {
		t.Fatalf("archive shares from one address = %v, want the last refused", codes)
	}
}

// The same flow with the records in Cloud Storage (fake-gcs-server over HTTP).
func TestSharesOnCloudStorage(t *testing.T) {
	c := gcs.New(gcs.Options{Endpoint: gcstest.Start(t, "nezame-shares")})
	st := newStackWith(t, stackOptions{shareStore: blobstore.NewGCS(c, "nezame-shares", "shares")})
	b := browser(t)
	signInReady(t, st, b, "night_owl")
	resp, data := shareCall(t, st, b, "POST", "/api/shares", `{"tz":"Asia/Tokyo","expiresInDays":3}`)
	if resp.StatusCode != 201 {
		t.Fatalf("share = %d %s", resp.StatusCode, data)
	}
	s := decodeShare(t, data)
	objs, err := c.List(context.Background(), "nezame-shares", "shares/")
	if err != nil || len(objs) != 2 {
		t.Fatalf("bucket holds %+v, %v; want the record and its index marker", objs, err)
	}
	for _, o := range objs {
		if !o.CustomTime.Equal(*s.ExpiresAt) {
			t.Errorf("%s customTime %v, want the expiry %v", o.Name, o.CustomTime, *s.ExpiresAt)
		}
	}
	if _, list := shareCall(t, st, b, "GET", "/api/shares", ""); !strings.Contains(string(list), s.ID) {
		t.Errorf("list = %s", list)
	}
	if resp, _ := shareCall(t, st, browser(t), "GET", "/s/"+s.ID+".png", ""); resp.StatusCode != 200 {
		t.Errorf("card = %d", resp.StatusCode)
	}
	if resp, _ := shareCall(t, st, b, "DELETE", "/api/shares/"+s.ID, ""); resp.StatusCode != 204 {
		t.Errorf("delete = %d", resp.StatusCode)
	}
	if objs, _ := c.List(context.Background(), "nezame-shares", "shares/"); len(objs) != 0 {
		t.Errorf("bucket after delete holds %+v", objs)
	}
}

// A share stored before sleeps, gaps and the index existed is still served.
func TestFirstVersionShareStillServed(t *testing.T) {
	fs, err := blobstore.NewFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	v0 := `{"id":"AAAAAAAAAAAAAAAAAAAAAA","owner":"1001","screenName":"night_owl_42","tz":"Asia/Tokyo",` +
		`"created":"2026-11-22T09:00:00Z","site":"nezame.example","posts":812,` +
		`"days":[{"d":"2026-11-01","a":[[450,1440]]}],"stats":{"wake":"07:52","bed":"00:41","sleepH":6.4,"sri":62,"activeDays":28,"allNighters":1}}`
	if err := fs.Put(context.Background(), "AAAAAAAAAAAAAAAAAAAAAA", []byte(v0), time.Time{}); err != nil {
		t.Fatal(err)
	}
	st := newStackWith(t, stackOptions{shareStore: fs})
	for _, p := range []string{"/s/AAAAAAAAAAAAAAAAAAAAAA", "/s/AAAAAAAAAAAAAAAAAAAAAA.png"} {
		if resp, d := shareCall(t, st, browser(t), "GET", p, ""); resp.StatusCode != 200 {
			t.Errorf("GET %s = %d %.200s", p, resp.StatusCode, d)
		}
	}
}

// DELETE /api/shares/{id} with "Authorization: Bearer <deleteToken>" works from a client that
// is not a browser (no Origin, no Sec-Fetch-Site), and is authorised by the token alone there;
// browsers' cross-site requests are still refused.
func TestDeleteShareWithBearerFromAScript(t *testing.T) {
	st := newStack(t)
	body := `{"tz":"Europe/Berlin","lang":"en","expiresInDays":null,"summary":` + summaryFor(t, "Europe/Berlin") + `}`
	_, data := shareCall(t, st, browser(t), "POST", "/api/shares/archive", body)
	archived := decodeShare(t, data)
	b := browser(t)
	signInReady(t, st, b, "night_owl")
	_, data = shareCall(t, st, b, "POST", "/api/shares", `{"tz":"UTC"}`)
	mine := decodeShare(t, data)
	alive := func(id string) bool {
		resp, _ := shareCall(t, st, browser(t), "GET", "/s/"+id, "")
		return resp.StatusCode == 200
	}

	for _, tc := range []struct {
		name   string
		client *http.Client
		id     string
		hdr    []string
		status int
		code   string
	}{
		{"a foreign Origin with the token", browser(t), archived.ID,
			[]string{"Origin", "https://evil.example", "Authorization", "Bearer " + archived.DeleteToken}, 403, "cross_site"},
		{"a browser's cross-site fetch without Origin", browser(t), archived.ID,
			[]string{"Origin", "", "Sec-Fetch-Site", "cross-site", "Authorization", "Bearer " + archived.DeleteToken}, 403, "cross_site"},
		{"a same-site (not same-origin) fetch without Origin", browser(t), archived.ID,
			[]string{"Origin", "", "Sec-Fetch-Site", "same-site", "Authorization", "Bearer " + archived.DeleteToken}, 403, "cross_site"},
		{"no Origin and no token, with the owner's session", b, mine.ID, []string{"Origin", ""}, 403, "cross_site"},
		// Let through as a script, the owner's session cookie does not authorise it.
		{"no Origin, a wrong token and the owner's session", b, mine.ID,
			[]string{"Origin", "", "Authorization", "Bearer wrong"}, 403, "not_owner"},
	} {
		resp, d := shareCall(t, st, tc.client, "DELETE", "/api/shares/"+tc.id, "", tc.hdr...)
		if resp.StatusCode != tc.status || errorCode(d) != tc.code || !alive(tc.id) {
			t.Errorf("%s: %d %s (share alive %v), want %d %s and the share kept", tc.name, resp.StatusCode, d, alive(tc.id), tc.status, tc.code)
		}
	}
	// curl -X DELETE -H "Authorization: Bearer …"
	if resp, d := shareCall(t, st, browser(t), "DELETE", "/api/shares/"+archived.ID, "", "Origin", "", "Authorization", "Bearer "+archived.DeleteToken); resp.StatusCode != 204 || alive(archived.ID) {
		t.Fatalf("a script's delete with the token = %d %s", resp.StatusCode, d)
	}
}

// Deletions are limited per address: each reads a record from storage, and a script with tokens
// (or a guesser without) must not turn that into unbounded reads.
func TestDeleteShareIsLimitedPerAddress(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	limited := 0
	for i := range 40 {
		id := fmt.Sprintf("%021dA", i)
		resp, data := shareCall(t, st, b, "DELETE", "/api/shares/"+id, "", "Origin", "", "Authorization", "Bearer not-a-token")
		if resp.StatusCode == 429 {
			if !bytes.Contains(data, []byte(`"rate_limited"`)) || resp.Header.Get("Retry-After") == "" {
				t.Fatalf("limited deletion = %s, headers %v", data, resp.Header)
			}
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("40 deletions from one address in a row were never limited")
	}
}
