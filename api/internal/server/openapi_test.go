package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/queue"
	"github.com/nezame/nezame/api/internal/share/sharetest"
	"github.com/nezame/nezame/docs"
)

// contract is docs/openapi.yaml, loaded and checked, with a record of the operations that real
// exchanges exercised.
type contract struct {
	t      *testing.T
	doc    *openapi3.T
	router routers.Router
	mu     sync.Mutex
	seen   map[string]map[int]bool // "METHOD /path/template" -> statuses seen
}

func loadContract(t *testing.T) *contract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(docs.OpenAPI)
	if err != nil {
		t.Fatalf("docs/openapi.yaml does not load: %v", err)
	}
	if doc.OpenAPIMajorMinor() != "3.1" {
		t.Fatalf("docs/openapi.yaml is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("docs/openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &contract{t: t, doc: doc, router: router, seen: map[string]map[int]bool{}}
}

// Bodies the validator does not decode by itself: served as they are, documented as strings.
func init() {
	asString := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	}
	openapi3filter.RegisterBodyDecoder("text/html", asString)
	openapi3filter.RegisterBodyDecoder("image/png", asString)
	openapi3filter.RegisterBodyDecoder("application/yaml", asString)
}

// validate wraps the service: every exchange that passes is validated against the document,
// request and response, and counted for coverage. HEAD requests are the GETs' (the document
// says so) and /_twitter is the mounted emulator, not the contract.
func (k *contract) validate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if r.Method == http.MethodHead || strings.HasPrefix(r.URL.Path, "/_twitter/") {
			return
		}
		k.check(r, body, rec)
	})
}

func (k *contract) check(r *http.Request, reqBody []byte, rec *recorder) {
	name := r.Method + " " + r.URL.Path
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	req.URL.Scheme, req.URL.Host = "http", r.Host
	route, params, err := k.router.FindRoute(req)
	if err != nil {
		k.t.Errorf("%s (%d): not in docs/openapi.yaml: %v", name, rec.status, err)
		return
	}
	k.mu.Lock()
	op := r.Method + " " + route.Path
	if k.seen[op] == nil {
		k.seen[op] = map[int]bool{}
	}
	k.seen[op][rec.status] = true
	k.mu.Unlock()

	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && rec.status < 400 {
		// A request the server refused may well be off the contract; one it served may not.
		k.t.Errorf("%s: the request is off the contract, yet answered %d: %v", name, rec.status, err)
	}
	respBody := rec.body.Bytes()
	header := rec.Header().Clone()
	if header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(respBody))
		if err != nil {
			k.t.Errorf("%s: Content-Encoding gzip, but not gzip: %v", name, err)
			return
		}
		respBody, _ = io.ReadAll(zr)
		header.Del("Content-Encoding")
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.status, Header: header, Options: opts}
	out.SetBodyBytes(respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		k.t.Errorf("%s answered %d off the contract: %v\nbody: %.400s", name, rec.status, err, respBody)
	}
}

// recorder copies what a handler writes.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// operations lists the document's operations as "METHOD /path".
func (k *contract) operations() []string {
	var ops []string
	for path, item := range k.doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	sort.Strings(ops)
	return ops
}

// TestOpenAPIContract drives every operation of docs/openapi.yaml through a real server (real
// Redis, the emulator) and validates each request and response against the document with
// kin-openapi; it fails for an operation no exchange reached and for a route the server has
// that the document lacks.
func TestOpenAPIContract(t *testing.T) {
	k := loadContract(t)
	st := newStackWith(t, stackOptions{queueCapacity: 1, wrap: k.validate, firstWait: 800 * time.Millisecond})
	base := st.srv.URL
	c := browser(t)
	do := func(b *http.Client, method, path, body string, header ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if method != http.MethodGet {
			req.Header.Set("Origin", base)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	want := func(resp *http.Response, status int) *http.Response {
		t.Helper()
		if resp.StatusCode != status {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s %s = %d, want %d: %.300s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, b)
		}
		return resp
	}

	// Probes and documents.
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/api/openapi.yaml"} {
		want(do(c, "GET", p, ""), 200)
	}
	// The public analysis, good and bad.
	want(do(c, "POST", "/api/analyze", `{"tz":"Asia/Tokyo","timestamps":["2026-11-01T07:00:00+09:00",1793487600000,"2026-11-01T00:00:00Z"]}`), 200)
	want(do(c, "POST", "/api/analyze", `{"tz":"Mars/Base","timestamps":[]}`), 400)
	// A traveller: the answer carries a zone change, validated against its schema.
	var moved analyzer.Analysis
	resp := want(do(c, "POST", "/api/analyze", `{"tz":"Europe/Berlin","timestamps":[`+travellerTimes()+`]}`), 200)
	if err := json.NewDecoder(resp.Body).Decode(&moved); err != nil || len(moved.ZoneChanges) != 1 || moved.ZoneChanges[0].Hours != 8 {
		t.Fatalf("traveller's zone changes = %+v (%v), want one of +8 h", moved.ZoneChanges, err)
	}
	// Signed out.
	want(do(c, "GET", "/api/me", ""), 401)
	want(do(c, "GET", "/api/periods?tz=UTC", ""), 401)

	// Sign-in (login, the emulator's consent, callback), then the calendar's answers.
	signIn(t, st, c, "night_owl")
	want(do(c, "GET", "/api/me", ""), 200)
	want(do(c, "GET", "/api/periods?tz=Not/AZone", ""), 400)
	other := queue.New(queue.Config{Capacity: 1}, st.redis.Client(), time.Now, slog.New(slog.DiscardHandler))
	release, err := other.Admit(context.Background(), "someone-else")
	if err != nil {
		t.Fatal(err)
	}
	want(do(c, "GET", "/api/periods?tz=UTC", ""), 202) // queued
	release()
	emulatorAdmin(t, st, "/_emulator/faults", `{"timeoutRate":1}`)
	want(do(c, "GET", "/api/periods?tz=UTC", ""), 202) // fetching
	emulatorAdmin(t, st, "/_emulator/faults", `{"timeoutRate":0}`)
	var etag string
	for deadline := time.Now().Add(15 * time.Second); ; {
		resp := do(c, "GET", "/api/periods?tz=Asia/Tokyo", "")
		if resp.StatusCode == 200 {
			etag = resp.Header.Get("ETag")
			break
		}
		if resp.StatusCode != 202 || time.Now().After(deadline) {
			want(resp, 200)
		}
		time.Sleep(100 * time.Millisecond)
	}
	want(do(c, "GET", "/api/periods?tz=Asia/Tokyo", "", "If-None-Match", etag), 304)

	// Shares of the calendar.
	want(do(c, "POST", "/api/shares", `{"lang":"en"}`), 400)
	var created struct{ ID, URL, ImageURL string }
	_ = json.NewDecoder(want(do(c, "POST", "/api/shares", `{"tz":"Asia/Tokyo","lang":"ja","expiresInDays":7}`), 201).Body).Decode(&created)
	want(do(c, "POST", "/api/shares", `{"tz":"Asia/Tokyo","lang":"ja","expiresInDays":7}`), 200)
	want(do(c, "POST", "/api/shares/preview", `{"tz":"Asia/Tokyo"}`), 200)
	want(do(c, "POST", "/api/shares/preview", `{"tz":"`+strings.Repeat("x", 5000)+`"}`), 413)
	want(do(c, "DELETE", "/api/shares/not-a-share-id", ""), 404)
	want(do(c, "GET", "/api/shares", ""), 200)
	page, _ := url.Parse(created.URL)
	card, _ := url.Parse(created.ImageURL)
	want(do(c, "GET", page.Path, ""), 200)
	want(do(c, "GET", card.Path, ""), 200)
	want(do(c, "GET", "/s/AAAAAAAAAAAAAAAAAAAAAA", ""), 404)

	// A share of an archive, made from an analysis of timestamps the device holds.
	summary := archiveSummary(t, do)
	want(do(c, "POST", "/api/shares/archive/preview", `{"tz":"Europe/London","summary":`+summary+`}`), 200)
	want(do(c, "POST", "/api/shares/archive", `{"tz":"Europe/London","summary":{"timezone":"Europe/London"}}`), 400)
	// A traveller's summary carries their change of time zone, validated against its schema.
	if travelled := string(sharetest.Summary(t, moved)); !strings.Contains(travelled, `"hours":8`) {
		t.Fatalf("the traveller's summary has no change of time zone: %.300s", travelled)
	} else {
		want(do(c, "POST", "/api/shares/archive/preview", `{"tz":"Europe/Berlin","summary":`+travelled+`}`), 200)
	}
	var archived struct{ ID, DeleteToken string }
	_ = json.NewDecoder(want(do(browser(t), "POST", "/api/shares/archive", `{"tz":"Europe/London","lang":"en","summary":`+summary+`}`), 201).Body).Decode(&archived)
	want(do(browser(t), "DELETE", "/api/shares/"+archived.ID, "", "Authorization", "Bearer "+archived.DeleteToken), 204)
	want(do(c, "DELETE", "/api/shares/"+created.ID, ""), 204)
	want(do(browser(t), "DELETE", "/api/shares/"+created.ID, ""), 401)

	// Twitter's app limit spent: a newcomer is told so.
	newcomer := browser(t)
	signIn(t, st, newcomer, "early_bird")
	emulatorAdmin(t, st, "/_emulator/app-cap", `{"remaining":0}`)
	want(do(newcomer, "GET", "/api/periods?tz=UTC", ""), 429)

	want(do(c, "POST", "/auth/logout", ""), 204)
	st.redis.Stop()
	want(do(c, "GET", "/readyz", ""), 503)
	want(do(newcomer, "GET", "/api/me", ""), 503)

	// Coverage: every documented operation was exercised, and the server has no route the
	// document lacks.
	for _, op := range k.operations() {
		if k.seen[op] == nil {
			t.Errorf("docs/openapi.yaml documents %s, but no exchange of this test reached it", op)
		}
	}
	documented := map[string]bool{}
	for _, op := range k.operations() {
		documented[op] = true
	}
	for _, r := range st.server.engine.Routes() {
		if r.Method == http.MethodHead || strings.HasPrefix(r.Path, "/_twitter/") {
			continue
		}
		op := r.Method + " " + ginToOpenAPI(r.Path)
		if !documented[op] {
			t.Errorf("the server routes %s, which docs/openapi.yaml does not document", op)
		}
	}
}

// ginToOpenAPI turns gin's :param into OpenAPI's {param}.
func ginToOpenAPI(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// archiveSummary is what the archive import sends: an Analysis of timestamps from /api/analyze,
// trimmed to what a card needs.
func archiveSummary(t *testing.T, do func(*http.Client, string, string, string, ...string) *http.Response) string {
	t.Helper()
	var ts []string
	start := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for d := range 5 {
		for h := range 14 {
			ts = append(ts, fmt.Sprintf("%d", start.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour).UnixMilli()))
		}
	}
	resp := do(browser(t), "POST", "/api/analyze", `{"tz":"Europe/London","timestamps":[`+strings.Join(ts, ",")+`]}`)
	var a analyzer.Analysis
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != 200 {
		t.Fatalf("analyze for the archive summary = %d, %v", resp.StatusCode, err)
	}
	return string(sharetest.Summary(t, a))
}

// travellerTimes are four weeks of posts, every 50 minutes from 08:00 to 23:00 in Berlin, of
// someone who flies 8 time zones west after two weeks and keeps the same hours there.
func travellerTimes() string {
	var ts []string
	start := time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC) // 08:00 in Berlin
	for d := range 28 {
		day := start.AddDate(0, 0, d)
		if d >= 14 {
			day = day.Add(8 * time.Hour)
		}
		for m := 0; m <= 15*60; m += 50 + d%7 {
			ts = append(ts, fmt.Sprintf("%d", day.Add(time.Duration(m)*time.Minute).UnixMilli()))
		}
	}
	return strings.Join(ts, ",")
}
