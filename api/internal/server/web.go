package server

import (
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/apperr"
)

// webAssets serves the embedded React build: hashed files under /assets/ are immutable, every
// other page path gets index.html (the app routes in the browser) and is never cached, so a
// deploy is picked up on the next load.
type webAssets struct {
	files fs.FS
	built bool
	index []byte
	fs    http.Handler
}

func newWebAssets(files fs.FS, built bool) webAssets {
	w := webAssets{files: files, built: built && files != nil}
	if w.built {
		w.index, _ = fs.ReadFile(files, "index.html")
		w.built = len(w.index) > 0
		w.fs = http.FileServer(http.FS(files))
	}
	return w
}

const notBuiltPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>nezame: UI not built</title>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The web UI has not been built</h1>
<p>This binary was compiled without <code>web/dist</code>. Build it with <code>make build</code>
(or <code>make run</code>), which runs <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code> first.</p>
<p>The API works regardless: try <a href="/healthz">/healthz</a>.</p></body></html>`

func (s *Server) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if isAPIPath(p) || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		s.writeError(c, apperr.NotFound("endpoint"))
		return
	}
	if !s.web.built {
		c.Header("Cache-Control", "no-store")
		c.Header("X-Nezame-Web", "not-built") // tells the load harness this is a build choice
		c.Data(http.StatusServiceUnavailable, "text/html; charset=utf-8", []byte(notBuiltPage))
		return
	}
	if strings.HasPrefix(p, "/assets/") {
		if _, err := fs.Stat(s.web.files, strings.TrimPrefix(p, "/")); err != nil {
			s.writeError(c, apperr.NotFound("file"))
			return
		}
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
		if s.web.serveGzipped(c.Writer, c.Request, strings.TrimPrefix(p, "/")) {
			return
		}
		s.web.fs.ServeHTTP(c.Writer, c.Request)
		return
	}
	if name := strings.TrimPrefix(p, "/"); name != "" && name != "index.html" && !strings.Contains(name, "/") {
		// Top-level static files (favicon, robots.txt) are served as they are, briefly cached.
		if st, err := fs.Stat(s.web.files, name); err == nil && !st.IsDir() {
			c.Header("Cache-Control", "public, max-age=3600")
			s.web.fs.ServeHTTP(c.Writer, c.Request)
			return
		}
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", s.web.index)
}

// serveGzipped answers with name.gz, the copy the UI build compressed once at the highest level
// (the analyzer's WebAssembly is 3.8 MB raw, about 1 MB gzipped), when there is one and the
// client accepts gzip. It reports whether it answered. Either way the response varies with
// Accept-Encoding, so a cache never hands the gzipped bytes to a client that did not ask.
func (w webAssets) serveGzipped(rw http.ResponseWriter, r *http.Request, name string) bool {
	f, err := w.files.Open(name + ".gz")
	if err != nil {
		return false
	}
	defer f.Close()
	rw.Header().Add("Vary", "Accept-Encoding")
	rs, ok := f.(io.ReadSeeker)
	if !ok || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		return false
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	rw.Header().Set("Content-Type", ctype) // of the content, not of the .gz file
	rw.Header().Set("Content-Encoding", "gzip")
	http.ServeContent(rw, r, name, time.Time{}, rs)
	return true
}

func (s *Server) noMethod(c *gin.Context) {
	s.writeError(c, apperr.MethodNotAllowed(apperr.Clip(c.Request.Method, logMethodMax)))
}

func isAPIPath(p string) bool {
	for _, prefix := range []string{"/api/", "/auth/", "/_twitter/", "/s/"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return p == "/api" || p == "/auth"
}
