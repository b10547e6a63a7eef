package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/periods"
	"github.com/nezame/nezame/api/internal/share"
)

// Shares makes, lists, deletes and serves share cards (share.Service). It knows no HTTP: the
// handlers below parse, call one method and write one response.
type Shares interface {
	Create(ctx context.Context, r share.Request) (created share.Created, existed bool, err error)
	Preview(ctx context.Context, r share.Request) ([]byte, error)
	List(ctx context.Context, ownerID string) ([]share.Created, error)
	Delete(ctx context.Context, id, ownerID, token string) error
	Image(ctx context.Context, id, ifNoneMatch string) (share.Image, error)
	Page(ctx context.Context, id string) (share.Page, error)
	ErrorPage(err error) []byte
}

// Named per-IP limits of the share routes (ratelimit.DefaultLimits sets them).
const (
	limitShare        = "share"         // creations, signed in or from an archive
	limitSharePreview = "share_preview" // previews: a render each, nothing stored
	limitShareDelete  = "share_delete"  // deletions: each reads a record from storage
)

// Body bounds: a share request is a few fields; an archive one carries its summary.
const (
	maxShareBody        = 4 << 10
	maxArchiveShareBody = share.MaxSummaryBytes + 4<<10
)

// shareOptions is the body of POST /api/shares and /api/shares/preview.
type shareOptions struct {
	TZ            *string `json:"tz"`
	Lang          *string `json:"lang"`
	ExpiresInDays *int    `json:"expiresInDays"`
}

// archiveShareBody is the body of POST /api/shares/archive and /api/shares/archive/preview.
type archiveShareBody struct {
	shareOptions
	Summary json.RawMessage `json:"summary"`
}

// routeShares registers the share routes; withSession loads the session cookie.
func (s *Server) routeShares(e *gin.Engine, withSession gin.HandlerFunc) {
	e.Match(getAndHead, "/s/:file", s.serveShare)
	if withSession == nil {
		return
	}
	e.Match(getAndHead, "/api/shares", withSession, s.requireUser, s.listShares)
	e.POST("/api/shares", s.sameSite(), s.limit(limitShare), withSession, s.requireUser, s.createShare)
	e.POST("/api/shares/preview", s.sameSite(), s.limit(limitSharePreview), withSession, s.requireUser, s.previewShare)
	e.POST("/api/shares/archive", s.sameSite(), s.limit(limitShare), withSession, s.archiveShare)
	e.POST("/api/shares/archive/preview", s.sameSite(), s.limit(limitSharePreview), withSession, s.previewArchiveShare)
	e.DELETE("/api/shares/:id", s.sameSiteOrBearer(), s.limit(limitShareDelete), withSession, s.deleteShare)
}

// createShare renders the signed-in user's analysis in the zone they sent (the one their
// calendar is shown in) into a card and answers its URLs: 201 when made, 200 with the same
// share when an identical one is live.
func (s *Server) createShare(c *gin.Context) {
	r, ok := s.userShareRequest(c)
	if !ok {
		return
	}
	created, existed, err := s.shares.Create(c.Request.Context(), r)
	if err != nil {
		s.writeError(c, err)
		return
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(status, created)
}

// previewShare answers the PNG createShare would publish, storing nothing.
func (s *Server) previewShare(c *gin.Context) {
	r, ok := s.userShareRequest(c)
	if !ok {
		return
	}
	s.writePreview(c, r)
}

// userShareRequest reads the options and fetches the signed-in user's analysis in their zone.
func (s *Server) userShareRequest(c *gin.Context) (share.Request, bool) {
	var body shareOptions
	if err := decodeShareBody(c, maxShareBody, &body); err != nil {
		s.writeError(c, err)
		return share.Request{}, false
	}
	r, err := s.shareRequest(body)
	if err != nil {
		s.writeError(c, err)
		return share.Request{}, false
	}
	u := userFrom(c)
	r.Owner = share.Owner{ID: u.ID, ScreenName: u.ScreenName}
	if r.Analysis, err = s.analysisFor(c.Request.Context(), u, r.Loc); err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindUnauthenticated {
			s.endSession(c) // Twitter revoked the token: the user must sign in again
		}
		s.writeError(c, err)
		return share.Request{}, false
	}
	return r, true
}

// analysisFor is the user's analysis in loc.
func (s *Server) analysisFor(ctx context.Context, u currentUser, loc *time.Location) (analyzer.Analysis, error) {
	return s.auth.Periods.Get(ctx, periods.User{ID: u.ID, Token: u.Token}, loc)
}

// archiveShare shares an archive summary analysed on the person's device. No session is
// needed; with one, the card shows the handle and the share is listed among theirs.
func (s *Server) archiveShare(c *gin.Context) {
	r, ok := s.archiveShareRequest(c)
	if !ok {
		return
	}
	created, _, err := s.shares.Create(c.Request.Context(), r)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, created)
}

func (s *Server) previewArchiveShare(c *gin.Context) {
	r, ok := s.archiveShareRequest(c)
	if !ok {
		return
	}
	s.writePreview(c, r)
}

func (s *Server) archiveShareRequest(c *gin.Context) (share.Request, bool) {
	var body archiveShareBody
	if err := decodeShareBody(c, maxArchiveShareBody, &body); err != nil {
		s.writeError(c, err)
		return share.Request{}, false
	}
	r, err := s.shareRequest(body.shareOptions)
	if err != nil {
		s.writeError(c, err)
		return share.Request{}, false
	}
	if len(body.Summary) == 0 || string(body.Summary) == "null" {
		s.writeError(c, apperr.InvalidSummary(errors.New("summary: missing")))
		return share.Request{}, false
	}
	if r.Analysis, err = share.DecodeSummary(body.Summary, r.Loc); err != nil {
		s.writeError(c, apperr.InvalidSummary(err))
		return share.Request{}, false
	}
	owner, err := s.sessionOwner(c)
	if err != nil {
		s.writeError(c, err)
		return share.Request{}, false
	}
	r.Owner, r.Archive = owner, true
	return r, true
}

// shareRequest validates the options every share body carries. tz is required: a card shows
// the times the person saw, in the zone they saw them in.
func (s *Server) shareRequest(b shareOptions) (share.Request, error) {
	if b.TZ == nil || *b.TZ == "" {
		return share.Request{}, apperr.InvalidTimezone("")
	}
	loc, ok := s.zones.Load(*b.TZ)
	if !ok {
		return share.Request{}, apperr.InvalidTimezone(*b.TZ)
	}
	r := share.Request{Loc: loc, Lang: share.LangEnglish}
	if b.Lang != nil {
		if !share.ValidLang(*b.Lang) {
			return share.Request{}, apperr.InvalidShare(`lang must be "en" or "ja".`)
		}
		r.Lang = *b.Lang
	}
	if b.ExpiresInDays != nil {
		if *b.ExpiresInDays < 1 || *b.ExpiresInDays > share.MaxExpiresInDays {
			return share.Request{}, apperr.InvalidShare(fmt.Sprintf("expiresInDays must be null (never) or 1..%d.", share.MaxExpiresInDays))
		}
		r.ExpiresInDays = *b.ExpiresInDays
	}
	return r, nil
}

// decodeShareBody reads a JSON object of at most limit bytes into v, refusing unknown fields.
func decodeShareBody(c *gin.Context, limit int64, v any) error {
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, limit+1))
	if err != nil {
		return apperr.InvalidBody("could not read the body", err)
	}
	if int64(len(body)) > limit {
		return apperr.BodyTooLarge(limit)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}") // no body: every option absent (and tz then reported missing)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.InvalidBody(`the body must be a JSON object like {"tz":"Asia/Tokyo","lang":"en","expiresInDays":null}`, err)
	}
	return nil
}

func (s *Server) writePreview(c *gin.Context, r share.Request) {
	png, err := s.shares.Preview(c.Request.Context(), r)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Length", strconv.Itoa(len(png)))
	c.Data(http.StatusOK, "image/png", png)
}

// sessionOwner is the signed-in user if there is one, else the zero Owner.
func (s *Server) sessionOwner(c *gin.Context) (share.Owner, error) {
	if err := s.auth.Store.LoadError(c.Request, sessionCookie); err != nil {
		return share.Owner{}, err
	}
	sess := sessions.Default(c)
	return share.Owner{ID: str(sess.Get(keyUserID)), ScreenName: str(sess.Get(keyScreenName))}, nil
}

func (s *Server) listShares(c *gin.Context) {
	list, err := s.shares.List(c.Request.Context(), userFrom(c).ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, list)
}

// deleteShare removes a share for its owner (the session) or for the bearer of its delete
// token (archive shares, no session needed): 204, also when it was already gone. A request let
// through as bearer-only (sameSiteOrBearer) is never authorised by its session.
func (s *Server) deleteShare(c *gin.Context) {
	token := bearerToken(c.GetHeader("Authorization"))
	var owner share.Owner
	if !c.GetBool(bearerOnlyKey) {
		var err error
		if owner, err = s.sessionOwner(c); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if token == "" && owner.ID == "" {
		s.writeError(c, apperr.DeleteNeedsOwner())
		return
	}
	if err := s.shares.Delete(c.Request.Context(), c.Param("id"), owner.ID, token); err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusNoContent)
}

func bearerToken(h string) string {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// serveShare answers GET and HEAD /s/{id} (the HTML page) and /s/{id}.png (the card). Both are
// public and cacheable for a short while only (never immutable: a deleted share must leave
// caches); an expiring share is never cached past its expiry.
func (s *Server) serveShare(c *gin.Context) {
	id, isPNG := strings.CutSuffix(c.Param("file"), ".png")
	ctx := c.Request.Context()
	h := c.Writer.Header()
	if isPNG {
		img, err := s.shares.Image(ctx, id, c.GetHeader("If-None-Match"))
		if err != nil {
			s.writeSharePageError(c, err)
			return
		}
		h.Set("ETag", img.ETag)
		h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", seconds(img.MaxAge)))
		if img.NotModified {
			c.Status(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(img.PNG)))
		c.Data(http.StatusOK, "image/png", img.PNG)
		return
	}
	page, err := s.shares.Page(ctx, id)
	if err != nil {
		s.writeSharePageError(c, err)
		return
	}
	h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", seconds(page.MaxAge)))
	h.Set("Content-Length", strconv.Itoa(len(page.HTML)))
	c.Data(http.StatusOK, "text/html; charset=utf-8", page.HTML)
}

func seconds(d time.Duration) int { return int(math.Floor(d.Seconds())) }

// writeSharePageError answers a share page or card that cannot be served with an HTML page
// (people open these links in browsers) under the status of the one error table.
func (s *Server) writeSharePageError(c *gin.Context, err error) {
	if s.clientGone(c, err) {
		return
	}
	e := classify(err)
	status := statusOf[e.Kind]
	if status >= 500 {
		logFrom(c, s.log).Error("serve share", "code", e.Code, "err", e.Error())
	}
	if e.Kind == apperr.KindUnavailable {
		c.Header("Retry-After", strconv.Itoa(retrySeconds(e.RetryAfter)))
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", s.shares.ErrorPage(e))
	c.Abort()
}
