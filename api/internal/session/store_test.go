package session

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/redistest"
)

func TestStoreRoundTripAndRenew(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client()
	st := NewStore(rdb, true)

	// A new session is saved under a fresh opaque id, with the cookie flags the issue asks for.
	r := httptest.NewRequest("GET", "/", nil)
	w := httptest.NewRecorder()
	sess, err := st.Get(r, "s")
	if err != nil || !sess.IsNew {
		t.Fatalf("first Get: %v new=%v", err, sess.IsNew)
	}
	sess.Values["uid"] = "42"
	if err := st.Save(r, w, sess); err != nil {
		t.Fatal(err)
	}
	cookie := w.Result().Cookies()[0]
	if !ValidID(cookie.Value) || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteLaxMode ||
		cookie.MaxAge != int(Lifetime/time.Second) {
		t.Fatalf("cookie = %+v", cookie)
	}
	// Beside it, the page's readable hint, living exactly as long, Secure like it.
	hint := w.Result().Cookies()[1]
	if hint.Name != HintCookie || hint.Value != "1" || hint.HttpOnly || !hint.Secure || hint.SameSite != http.SameSiteLaxMode ||
		hint.MaxAge != cookie.MaxAge || hint.Path != cookie.Path {
		t.Fatalf("hint = %+v", hint)
	}
	if ttl := rdb.TTL(t.Context(), keys.Session(cookie.Value)).Val(); ttl < Lifetime-time.Minute || ttl > Lifetime {
		t.Fatalf("record TTL = %v, want the 7-day lifetime", ttl)
	}
	if raw := rdb.Get(t.Context(), keys.Session(cookie.Value)).Val(); !strings.Contains(raw, `"uid":"42"`) {
		t.Fatalf("record = %s", raw)
	}

	// The next request loads it.
	r2 := httptest.NewRequest("GET", "/", nil)
	r2.AddCookie(cookie)
	sess2, err := st.Get(r2, "s")
	if err != nil || sess2.IsNew || sess2.Values["uid"] != "42" {
		t.Fatalf("load: %v %+v", err, sess2.Values)
	}
	// Renew drops the old record and the next Save issues another id.
	if err := st.Renew(r2, "s"); err != nil {
		t.Fatal(err)
	}
	w2 := httptest.NewRecorder()
	if err := st.Save(r2, w2, sess2); err != nil {
		t.Fatal(err)
	}
	if newID := w2.Result().Cookies()[0].Value; newID == cookie.Value {
		t.Fatal("Renew kept the id")
	}
	if rdb.Exists(t.Context(), keys.Session(cookie.Value)).Val() != 0 {
		t.Fatal("the old record survived Renew")
	}
}

// A session logged out (in another tab) while a request that loaded it still runs stays logged
// out when that request pushes its sliding lifetime forward: the touch never recreates it.
func TestTouchAfterLogoutDoesNotResurrect(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client()
	st := NewStore(rdb, false)
	r := httptest.NewRequest("GET", "/", nil)
	sess, _ := st.Get(r, "s")
	sess.Values["uid"] = "42"
	w := httptest.NewRecorder()
	if err := st.Save(r, w, sess); err != nil {
		t.Fatal(err)
	}
	cookie := w.Result().Cookies()[0]

	// Tab B's request loads the session...
	rb := httptest.NewRequest("GET", "/", nil)
	rb.AddCookie(cookie)
	inFlight, err := st.Get(rb, "s")
	if err != nil || inFlight.Values["uid"] != "42" {
		t.Fatalf("load: %v %v", err, inFlight.Values)
	}
	// ...tab A logs out...
	ra := httptest.NewRequest("POST", "/auth/logout", nil)
	ra.AddCookie(cookie)
	out, _ := st.Get(ra, "s")
	out.Options.MaxAge = -1
	if err := st.Save(ra, httptest.NewRecorder(), out); err != nil {
		t.Fatal(err)
	}
	// ...and tab B's request touches the session it loaded.
	inFlight.Values["touched"] = "1"
	wb := httptest.NewRecorder()
	if err := st.Save(rb, wb, inFlight); !errors.Is(err, ErrEnded) {
		t.Fatalf("touch after logout = %v, want ErrEnded", err)
	}
	if n := rdb.Exists(t.Context(), keys.Session(cookie.Value)).Val(); n != 0 {
		t.Fatal("the touch brought the logged-out session back")
	}
	if len(wb.Result().Cookies()) != 0 {
		t.Fatalf("the touch set a cookie: %v", wb.Result().Cookies())
	}
	// A touch of a live session extends it.
	rdb.Set(t.Context(), keys.Session(cookie.Value), `{"uid":"42"}`, time.Hour)
	if err := st.Save(rb, httptest.NewRecorder(), inFlight); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.TTL(t.Context(), keys.Session(cookie.Value)).Val(); ttl < Lifetime-time.Minute {
		t.Fatalf("touched TTL = %v, want the lifetime again", ttl)
	}
}

func TestStoreRefusesJunkAndReportsOutage(t *testing.T) {
	srv := redistest.Start(t)
	st := NewStore(srv.Client(), false)
	for _, v := range []string{"", "short", strings.Repeat("a", 44), "../../../../etc/passwd", strings.Repeat("a", 42) + "!"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: "s", Value: v})
		sess, err := st.Get(r, "s")
		if err != nil || !sess.IsNew || len(sess.Values) != 0 {
			t.Fatalf("cookie %q: err=%v new=%v", v, err, sess.IsNew)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: "s", Value: strings.Repeat("a", 43)})
	srv.Stop()
	if _, err := st.Get(r, "s"); err == nil {
		t.Fatal("a Redis outage must be an error, not a signed-out user")
	}
	if err := st.LoadError(r, "s"); err == nil {
		t.Fatal("LoadError must report the failed load")
	}
}

func TestValidID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{strings.Repeat("A", 43), true},
		{"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123-_x", true},
		{strings.Repeat("A", 42), false},
		{strings.Repeat("A", 44), false},
		{strings.Repeat("A", 42) + "=", false},
		{strings.Repeat("A", 42) + "é"[:1], false},
		{"../../../../../../../../../../../etc/passwd", false},
		{"", false},
	} {
		if got := ValidID(tc.id); got != tc.want {
			t.Errorf("ValidID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}
