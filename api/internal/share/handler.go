package share

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/apperr"
)

const (
	pageCacheControl  = "public, max-age=300"
	imageCacheControl = "public, max-age=31536000, immutable"
)

// Serve answers GET /s/:file, where :file is "{id}" (the HTML page) or "{id}.png" (the card).
// It writes its own responses, HTML for pages since browsers open them. Every request reads the
// record first, so a share deleted through another instance is gone here too, even when this
// instance still holds its PNG in memory; a CDN may keep serving an already-cached image until
// it expires or is purged, which the immutable lifetime accepts.
func (s *Service) Serve(c *gin.Context) {
	file := c.Param("file")
	id, isPNG := strings.CutSuffix(file, ".png")
	if !ValidID(id) {
		s.notFound(c)
		return
	}
	raw, rec, err := s.load(c.Request.Context(), id)
	if err != nil {
		s.fail(c, id, err)
		return
	}
	if isPNG {
		s.serveImage(c, id, raw, rec)
		return
	}
	s.servePage(c, id, rec)
}

func (s *Service) serveImage(c *gin.Context, id string, raw []byte, rec Record) {
	etag := etagOf(raw)
	h := c.Writer.Header()
	h.Set("Cache-Control", imageCacheControl)
	h.Set("ETag", etag)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	png, err := s.image(id, etag, rec)
	if err != nil {
		s.fail(c, id, apperr.Wrap(apperr.Internal, "internal", "Could not draw the share image.", err))
		return
	}
	h.Set("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "image/png", png)
}

// etagMatches implements If-None-Match's weak comparison over a list of tags.
func etagMatches(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

type pageData struct {
	Title, Description, ScreenName, PageURL, ImageURL, AppURL string
}

func (s *Service) servePage(c *gin.Context, id string, rec Record) {
	d := pageData{
		Title:       fmt.Sprintf("@%s's sleep calendar on nezame", rec.ScreenName),
		Description: describe(rec),
		ScreenName:  rec.ScreenName,
		PageURL:     s.pageURL(id),
		ImageURL:    s.imageURL(id),
		AppURL:      s.appURL(),
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, d); err != nil {
		s.fail(c, id, apperr.Wrap(apperr.Internal, "internal", "Could not show the share.", err))
		return
	}
	c.Header("Cache-Control", pageCacheControl)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// describe is the stats summary used as og:description.
func describe(rec Record) string {
	st := rec.Stats
	var parts []string
	if st.WakeTime != nil {
		parts = append(parts, "wakes up around "+*st.WakeTime)
	}
	if st.BedTime != nil {
		parts = append(parts, "goes to bed around "+*st.BedTime)
	}
	if st.SleepHours != nil {
		parts = append(parts, fmt.Sprintf("sleeps %.1f h", *st.SleepHours))
	}
	if st.SRI != nil {
		parts = append(parts, fmt.Sprintf("sleep regularity %.0f", *st.SRI))
	}
	head := fmt.Sprintf("%d days of posts", len(rec.Days))
	if rec.Timezone != "" {
		head += " (" + rec.Timezone + ")"
	}
	if len(parts) == 0 {
		return head + ", drawn as a sleep calendar. When were you awake?"
	}
	return head + ": " + strings.Join(parts, ", ") + ". When were you awake?"
}

// notFound answers an unknown or malformed id with an HTML 404 page.
func (s *Service) notFound(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusNotFound, "text/html; charset=utf-8", notFoundPage(s.appURL()))
}

func (s *Service) fail(c *gin.Context, id string, err error) {
	e, ok := apperr.As(err)
	if ok && e.Kind == apperr.NotFound {
		s.notFound(c)
		return
	}
	status := http.StatusInternalServerError
	if ok && e.Kind == apperr.Unavailable {
		status = http.StatusServiceUnavailable
		c.Header("Retry-After", "5")
	}
	s.log.ErrorContext(c.Request.Context(), "serve share", "id", id, "err", err)
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/plain; charset=utf-8", []byte("This share cannot be shown right now. Please try again shortly.\n"))
}

func notFoundPage(appURL string) []byte {
	var buf bytes.Buffer
	_ = notFoundTmpl.Execute(&buf, appURL) // a constant template over a URL cannot fail
	return buf.Bytes()
}

var notFoundTmpl = template.Must(template.New("404").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Share not found - nezame</title><meta name="robots" content="noindex">
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0d121f;color:#f4f6fb;font:18px/1.5 system-ui,sans-serif;text-align:center}a{color:#ffc857}</style>
</head><body><main><h1>This share does not exist</h1><p>It may have been deleted by its owner.</p>
<p><a href="{{.}}">See your own sleep calendar</a></p></main></body></html>
`))

var pageTmpl = template.Must(template.New("share").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<meta name="description" content="{{.Description}}">
<link rel="canonical" href="{{.PageURL}}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="nezame">
<meta property="og:title" content="{{.Title}}">
<meta property="og:description" content="{{.Description}}">
<meta property="og:url" content="{{.PageURL}}">
<meta property="og:image" content="{{.ImageURL}}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:image:alt" content="Sleep calendar of @{{.ScreenName}}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{.Title}}">
<meta name="twitter:description" content="{{.Description}}">
<meta name="twitter:image" content="{{.ImageURL}}">
<style>
body{margin:0;background:#0d121f;color:#f4f6fb;font:18px/1.5 system-ui,sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px;text-align:center}
img{width:100%;height:auto;border-radius:12px}
a.cta{display:inline-block;margin:24px 0;padding:12px 28px;border-radius:999px;background:#ffc857;color:#0d121f;font-weight:700;text-decoration:none}
p{color:#8b95b0}
</style>
</head>
<body>
<main>
<h1>@{{.ScreenName}}'s sleep calendar</h1>
<img src="{{.ImageURL}}" width="1200" height="630" alt="Sleep calendar of @{{.ScreenName}}">
<p>{{.Description}}</p>
<a class="cta" href="{{.AppURL}}">See your own</a>
</main>
</body>
</html>
`))
