package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/keys"
)

// raw is a client that shows the wire: no redirects followed, no transparent gzip.
func raw(b *http.Client) *http.Client {
	return &http.Client{Jar: b.Jar, Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func fetch(t *testing.T, c *http.Client, u string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// redisCommands runs do and returns the commands Redis ran meanwhile, by name, with how often
// (commands a script runs count too).
func redisCommands(t *testing.T, st *stack, do func()) map[string]int {
	t.Helper()
	rdb := st.redis.Client()
	ctx := context.Background()
	rdb.ConfigResetStat(ctx)
	do()
	out := map[string]int{}
	for _, m := range regexp.MustCompile(`cmdstat_([a-z|]+):calls=(\d+)`).FindAllStringSubmatch(rdb.Info(ctx, "commandstats").Val(), -1) {
		switch m[1] {
		case "config|resetstat", "info", "hello", "client|setinfo":
			continue // the test's own
		}
		out[m[1]], _ = strconv.Atoi(m[2])
	}
	return out
}

// A revisit of /api/periods is one Redis round trip that returns the session and the stored
// answer: gzipped as
// stored when the client takes gzip, plain otherwise, 304 when the client has it; and a logout
// ends it at once.
func TestStoredAnswer(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	signIn(t, st, b, "night_owl")
	c := raw(b)
	u := st.srv.URL + "/api/periods?tz=Asia/Tokyo"

	first, plain := fetch(t, c, u, nil)
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || !bytes.HasPrefix(plain, []byte(`{"timezone":"Asia/Tokyo"`)) || etag == "" ||
		first.Header.Get("Content-Encoding") != "" || first.Header.Get("Cache-Control") != "private, no-cache" ||
		!strings.Contains(first.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("first answer = %d %v %.80s", first.StatusCode, first.Header, plain)
	}
	rdb := st.redis.Client()
	stored, _ := rdb.Keys(context.Background(), keys.ResponsePrefix+"*").Result()
	if len(stored) != 1 {
		t.Fatalf("stored answers: %v", stored)
	}
	if ttl := rdb.TTL(context.Background(), stored[0]).Val(); ttl <= 0 || ttl > time.Minute {
		t.Fatalf("the stored answer lives %v; want at most CACHE_TTL (1m)", ttl)
	}

	var zipped *http.Response
	var gz []byte
	ran := redisCommands(t, st, func() { zipped, gz = fetch(t, c, u, map[string]string{"Accept-Encoding": "gzip, deflate, br"}) })
	// One round trip: the session and the answer, read together.
	if len(ran) != 1 || ran["mget"] != 1 {
		t.Fatalf("a revisit ran %v in Redis, want one MGET", ran)
	}
	if zipped.StatusCode != 200 || zipped.Header.Get("Content-Encoding") != "gzip" || zipped.Header.Get("ETag") != etag {
		t.Fatalf("gzip revisit = %d %v", zipped.StatusCode, zipped.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if inflated, _ := io.ReadAll(zr); !bytes.Equal(inflated, plain) || len(gz) > len(plain)/3 {
		t.Fatalf("gzipped answer (%d bytes) does not inflate to the plain one (%d bytes)", len(gz), len(plain))
	}
	if again, body := fetch(t, c, u, map[string]string{"Accept-Encoding": "gzip;q=0"}); again.StatusCode != 200 ||
		again.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
		t.Fatalf("revisit refusing gzip = %d %v", again.StatusCode, again.Header)
	}
	if same, body := fetch(t, c, u, map[string]string{"If-None-Match": etag}); same.StatusCode != 304 || len(body) != 0 {
		t.Fatalf("revisit with the ETag = %d (%d bytes), want 304", same.StatusCode, len(body))
	}
	if other, _ := fetch(t, c, st.srv.URL+"/api/periods?tz=UTC", map[string]string{"If-None-Match": etag}); other.StatusCode != 200 {
		t.Fatalf("another zone with the first zone's ETag = %d, want 200", other.StatusCode)
	}

	// Logout ends the session for the stored answer too: nothing about it is kept in process.
	req, _ := http.NewRequest("POST", st.srv.URL+"/auth/logout", nil)
	req.Header.Set("Origin", st.srv.URL)
	if resp, err := b.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("logout: %v %v", resp, err)
	}
	if resp, _ := fetch(t, c, u, map[string]string{"If-None-Match": etag}); resp.StatusCode != 401 {
		t.Fatalf("after logout = %d, want 401", resp.StatusCode)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false}, {"gzip", true}, {"gzip, deflate, br", true}, {"br, GZIP", true}, {"deflate", false},
		{"gzip;q=0", false}, {"gzip; q=0.5", true}, {"*", true}, {"identity", false},
	} {
		if got := acceptsGzip(tc.header); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

// A stored answer is served only to the session it was stored for: an answer found under a
// session's key but made for another (a mixed-up reply) goes through the full path instead.
func TestStoredAnswerIsBoundToItsSession(t *testing.T) {
	st := newStack(t)
	owl, bird := browser(t), browser(t)
	signIn(t, st, owl, "night_owl")
	signIn(t, st, bird, "early_bird")
	u := st.srv.URL + "/api/periods?tz=UTC"
	var owlA, birdA analysisJSON
	for _, x := range []struct {
		b *http.Client
		a *analysisJSON
	}{{owl, &owlA}, {bird, &birdA}} {
		for deadline := time.Now().Add(30 * time.Second); ; {
			resp, body := fetch(t, x.b, u, nil)
			if resp.StatusCode == 200 {
				_ = json.Unmarshal(body, x.a)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no analysis: %d", resp.StatusCode)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if owlA.PostCount == birdA.PostCount {
		t.Fatal("the two personas' analyses look alike: the test proves nothing")
	}
	ctx := context.Background()
	rdb := st.redis.Client()
	owlKey := keys.Response(sessionID(t, st, owl), "UTC", 28)
	birdKey := keys.Response(sessionID(t, st, bird), "UTC", 28)
	rdb.Set(ctx, birdKey, rdb.Get(ctx, owlKey).Val(), time.Minute) // the owl's answer under the bird's session
	_, body := fetch(t, bird, u, nil)
	var got analysisJSON
	_ = json.Unmarshal(body, &got)
	if got.PostCount != birdA.PostCount {
		t.Fatalf("the bird's session was served %d posts, want its own %d (the owl has %d)", got.PostCount, birdA.PostCount, owlA.PostCount)
	}
}

// The hours of today that have not happened yet are a "future" gap running from the instant of
// the analysis to the next local midnight, and the calendar is WINDOW_DAYS dates that start at
// local day starts, also where the clocks jump over midnight (Santiago on 2022-09-11 went from
// 00:00 straight to 01:00, so that date began at 01:00 -03).
func TestPeriodsMarkTheRestOfTodayAsFuture(t *testing.T) {
	frozen := time.Date(2022, 9, 10, 19, 0, 0, 0, time.UTC) // 15:00 in Santiago, 04:00 the next day in Tokyo
	st := newStackWith(t, stackOptions{twitterClock: func() time.Time { return frozen }})
	b := browser(t)
	signInReady(t, st, b, "night_owl")
	for _, tc := range []struct{ tz, from, now, end string }{
		{"America/Santiago", "2022-08-14T00:00:00-04:00", "2022-09-10T15:00:00-04:00", "2022-09-11T01:00:00-03:00"},
		{"Asia/Tokyo", "2022-08-15T00:00:00+09:00", "2022-09-11T04:00:00+09:00", "2022-09-12T00:00:00+09:00"},
	} {
		resp := get(t, b, st.srv.URL+"/api/periods?tz="+tc.tz)
		var a struct {
			From, To string
			Days     []json.RawMessage
			Gaps     []struct{ Start, End, Reason string }
		}
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", tc.tz, resp.StatusCode, err)
		}
		if a.From != tc.from || a.To != tc.end || len(a.Days) != 28 {
			t.Errorf("%s: from %s to %s, %d days; want %s to %s, 28 days", tc.tz, a.From, a.To, len(a.Days), tc.from, tc.end)
		}
		if n := len(a.Gaps); n == 0 || a.Gaps[n-1].Reason != "future" || a.Gaps[n-1].Start != tc.now || a.Gaps[n-1].End != tc.end {
			t.Errorf("%s: gaps %+v, want the last one future from %s to %s", tc.tz, a.Gaps, tc.now, tc.end)
		}
	}
}
