package emulator

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/nezame/nezame/api/internal/emulator/persona"
)

// requestToken answers POST /oauth/request_token (RFC 5849 §2.1).
func (e *Emulator) requestToken(w http.ResponseWriter, r *http.Request) {
	s, ae := e.authenticate(r, consumerOnly)
	if ae != nil {
		e.writeError(w, v1, ae)
		return
	}
	callback := s.oauth["oauth_callback"]
	if callback == "" {
		callback = s.params.Get("oauth_callback")
	}
	if callback != "oob" {
		u, err := url.Parse(callback)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			writeV1Error(w, http.StatusBadRequest, 417, "oauth_callback must be an absolute http(s) URL or \"oob\".")
			return
		}
	}
	token, secret := randomToken(16), randomToken(20)
	now := e.cfg.Now()
	if !e.tokens.addRequest(now, token, &requestToken{secret: secret, callback: callback, expires: now.Add(requestTokenTTL)}) {
		e.writeError(w, v1, errOverCap)
		return
	}
	writeForm(w, url.Values{
		"oauth_token":              {token},
		"oauth_token_secret":       {secret},
		"oauth_callback_confirmed": {"true"},
	})
}

// accessToken answers POST /oauth/access_token (RFC 5849 §2.3).
func (e *Emulator) accessToken(w http.ResponseWriter, r *http.Request) {
	s, ae := e.authenticate(r, withRequestToken)
	if ae != nil {
		e.writeError(w, v1, ae)
		return
	}
	// One-shot: whatever happens next, this request token is spent.
	rt, ok := e.tokens.takeRequest(e.cfg.Now(), s.token)
	verifier := s.oauth["oauth_verifier"]
	if verifier == "" {
		verifier = s.params.Get("oauth_verifier")
	}
	if !ok || rt.user == nil || verifier == "" || verifier != rt.verifier {
		e.writeError(w, v1, errToken)
		return
	}
	u := *rt.user
	at := &accessToken{token: u.IDString() + "-" + randomToken(16), secret: randomToken(20), user: u}
	if !e.tokens.addAccess(e.cfg.Now(), at) {
		e.writeError(w, v1, errOverCap)
		return
	}
	writeForm(w, url.Values{
		"oauth_token":        {at.token},
		"oauth_token_secret": {at.secret},
		"user_id":            {u.IDString()},
		"screen_name":        {u.ScreenName()},
	})
}

func writeForm(w http.ResponseWriter, v url.Values) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8") // what Twitter sends for these
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(v.Encode()))
}

var consentTmpl = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Authorize nezame — Twitter emulator</title>
<style>
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f5f8fa;color:#14171a}
main{max-width:34rem;margin:2rem auto;background:#fff;border-radius:16px;padding:1.5rem 1.75rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.3rem;margin:0 0 .25rem}p.note{color:#657786;margin:0 0 1rem;font-size:.9rem}
label.p{display:flex;gap:.75rem;align-items:flex-start;padding:.6rem .7rem;border:1px solid #e1e8ed;border-radius:10px;margin:.4rem 0;cursor:pointer}
label.p:has(input:checked){border-color:#1d9bf0;background:#e8f5fe}
label.p span b{display:block}label.p span small{color:#657786}
.row{display:flex;gap:.5rem;align-items:center;margin:1rem 0;font-size:.9rem}
input[type=number]{width:8rem;padding:.35rem;border:1px solid #ccd6dd;border-radius:6px}
.actions{display:flex;gap:.75rem;margin-top:1rem}
button{font:inherit;font-weight:600;border-radius:999px;padding:.55rem 1.3rem;border:1px solid #1d9bf0;cursor:pointer}
button.allow{background:#1d9bf0;color:#fff}button.deny{background:#fff;color:#1d9bf0}
</style></head><body><main>
<h1>Authorize nezame to use your account?</h1>
<p class="note">Twitter emulator: pick the demo persona to sign in as. Nothing leaves this machine.</p>
<form method="post">
<input type="hidden" name="oauth_token" value="{{.Token}}">
{{range $i, $p := .Personas}}<label class="p"><input type="radio" name="persona" value="{{$p.Name}}"{{if eq $i 0}} checked{{end}}>
<span><b>{{$p.DisplayName}} <small>@{{$p.Name}}</small></b><small>{{$p.Description}}</small></span></label>
{{end}}<div class="row"><label for="user">User number (optional, 0 = the persona itself):</label>
<input id="user" type="number" name="user" min="0" max="999999999" placeholder="0"></div>
<div class="actions"><button class="allow" type="submit">Authorize app</button>
<button class="deny" type="submit" name="deny" value="1">Cancel</button></div>
</form></main></body></html>
`))

// consentPage answers GET /oauth/authenticate with the persona picker.
func (e *Emulator) consentPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("oauth_token")
	if _, ok := e.tokens.request(e.cfg.Now(), token); !ok {
		writePlain(w, http.StatusBadRequest, "This page is no longer valid: the request token is missing, used or expired. Start the sign-in again.")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:")
	w.WriteHeader(http.StatusOK)
	_ = consentTmpl.Execute(w, struct {
		Token    string
		Personas []persona.Persona
	}{token, persona.All()})
}

// consentSubmit answers the consent form: 302 to the consumer's callback with oauth_token and
// oauth_verifier, or with denied=<token> when the user cancelled. The persona field takes
// "night_owl" or "night_owl#123"; a separate "user" field gives the number too.
func (e *Emulator) consentSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		writePlain(w, http.StatusBadRequest, "Malformed form.")
		return
	}
	token := r.PostForm.Get("oauth_token")
	now := e.cfg.Now()
	rt, ok := e.tokens.request(now, token)
	if !ok {
		writePlain(w, http.StatusBadRequest, "The request token is missing, used or expired. Start the sign-in again.")
		return
	}
	if r.PostForm.Get("deny") != "" {
		e.tokens.takeRequest(now, token)
		redirectCallback(w, r, rt.callback, url.Values{"denied": {token}})
		return
	}
	who := strings.TrimSpace(r.PostForm.Get("persona"))
	if n := strings.TrimSpace(r.PostForm.Get("user")); n != "" && n != "0" && !strings.Contains(who, "#") {
		who += "#" + n
	}
	u, err := persona.ParseUser(who)
	if err != nil {
		writePlain(w, http.StatusBadRequest, "Unknown persona or user number: "+err.Error())
		return
	}
	verifier := randomToken(16)
	if _, ok := e.tokens.authorize(now, token, u, verifier); !ok {
		writePlain(w, http.StatusBadRequest, "This request token was already used.")
		return
	}
	redirectCallback(w, r, rt.callback, url.Values{"oauth_token": {token}, "oauth_verifier": {verifier}})
}

func redirectCallback(w http.ResponseWriter, r *http.Request, callback string, add url.Values) {
	if callback == "oob" {
		writePlain(w, http.StatusOK, add.Encode())
		return
	}
	u, err := url.Parse(callback)
	if err != nil {
		writePlain(w, http.StatusBadRequest, "Bad callback URL.")
		return
	}
	q := u.Query()
	for k, vs := range add {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func writePlain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}
