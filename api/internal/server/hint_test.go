package server

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/nezame/nezame/api/internal/session"
)

// setCookie returns the Set-Cookie of resp named name, or nil.
func setCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func hasCookie(b *http.Client, base, name string) bool {
	u, _ := url.Parse(base)
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == name {
			return true
		}
	}
	return false
}

// The page's script cannot read the HttpOnly session cookie, so the server keeps a readable,
// non-secret hint beside it: written with the session, deleted with it, and deleted whenever a
// request finds no session, so the page asks /api/me exactly when a session may exist.
func TestSignedInHintFollowsTheSession(t *testing.T) {
	st := newStack(t)
	b := browser(t)
	resp := get(t, b, startSignIn(t, st, b, "early_bird"))
	sess, hint := setCookie(resp, "nezame_session"), setCookie(resp, session.HintCookie)
	if sess == nil || hint == nil {
		t.Fatalf("sign-in sets session %v and hint %v", sess, hint)
	}
	if hint.Value != "1" || hint.HttpOnly || !sess.HttpOnly {
		t.Fatalf("hint must be a readable constant, the session HttpOnly: hint %+v session %+v", hint, sess)
	}
	if hint.Path != sess.Path || hint.MaxAge != sess.MaxAge || hint.MaxAge <= 0 ||
		hint.SameSite != http.SameSiteLaxMode || hint.SameSite != sess.SameSite || hint.Secure != sess.Secure {
		t.Fatalf("hint lives like the session: hint %+v session %+v", hint, sess)
	}

	// A signed-in request that lacks the hint (cleared alone, or a session older than it) gets it back.
	u, _ := url.Parse(st.srv.URL)
	b.Jar.SetCookies(u, []*http.Cookie{{Name: session.HintCookie, Value: "", MaxAge: -1}})
	if resp := get(t, b, st.srv.URL+"/api/me"); resp.StatusCode != 200 || setCookie(resp, session.HintCookie) == nil {
		t.Fatalf("me without the hint = %d, hint %v", resp.StatusCode, setCookie(resp, session.HintCookie))
	}
	if resp := get(t, b, st.srv.URL+"/api/me"); setCookie(resp, session.HintCookie) != nil {
		t.Fatal("a request that has the hint is not sent it again")
	}

	// Logout deletes it with the session.
	req, _ := http.NewRequest("POST", st.srv.URL+"/auth/logout", nil)
	req.Header.Set("Origin", st.srv.URL)
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := setCookie(resp, session.HintCookie); resp.StatusCode != 204 || c == nil || c.MaxAge >= 0 {
		t.Fatalf("logout = %d, hint %+v", resp.StatusCode, c)
	}
	if hasCookie(b, st.srv.URL, session.HintCookie) {
		t.Fatal("the browser still holds the hint after logout")
	}

	// A hint whose session is gone (expired, or ended on another device) is deleted by the 401.
	b.Jar.SetCookies(u, []*http.Cookie{{Name: session.HintCookie, Value: "1", Path: "/"}})
	for _, path := range []string{"/api/me", "/api/periods?tz=UTC"} {
		resp := get(t, b, st.srv.URL+path)
		if c := setCookie(resp, session.HintCookie); resp.StatusCode != 401 || c == nil || c.MaxAge >= 0 {
			t.Fatalf("%s with a stale hint = %d, hint %+v", path, resp.StatusCode, c)
		}
		b.Jar.SetCookies(u, []*http.Cookie{{Name: session.HintCookie, Value: "1", Path: "/"}})
	}
	// Signing out of a session that had already ended deletes a hint left behind all the same.
	req, _ = http.NewRequest("POST", st.srv.URL+"/auth/logout", nil)
	req.Header.Set("Origin", st.srv.URL)
	if resp, err = b.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := setCookie(resp, session.HintCookie); resp.StatusCode != 204 || c == nil || c.MaxAge >= 0 {
		t.Fatalf("logout without a session = %d, hint %+v", resp.StatusCode, c)
	}
	// A 401 to a browser without the hint sets nothing.
	if resp := get(t, browser(t), st.srv.URL+"/api/me"); resp.StatusCode != 401 || len(resp.Cookies()) != 0 {
		t.Fatalf("signed-out me = %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
}
