package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/share"
)

// Shares creates and deletes share cards (share.Service).
type Shares interface {
	Create(ctx context.Context, ownerID, screenName string, a analyzer.Analysis) (share.Created, error)
	Delete(ctx context.Context, id, ownerID string) error
	Serve(c *gin.Context)
}

type createShareRequest struct {
	TZ string `json:"tz"`
}

// createShare renders the signed-in user's current analysis (usually straight from the cache)
// into a card and answers its URLs.
func (s *Server) createShare(c *gin.Context) {
	var req createShareRequest
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, 4<<10))
	if err != nil {
		s.writeError(c, invalidBody("could not read the body", err))
		return
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			s.writeError(c, invalidBody(`the body must be a JSON object like {"tz":"Asia/Tokyo"}`, err))
			return
		}
	}
	if req.TZ == "" {
		req.TZ = c.Query("tz")
	}
	loc, ok := s.zones.Load(req.TZ)
	if !ok {
		s.writeError(c, invalidTimezone(req.TZ))
		return
	}
	u := userFrom(c)
	raw, err := s.auth.Periods.Get(c.Request.Context(), u.ID, u.Token, loc)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var a analyzer.Analysis
	if err := json.Unmarshal(raw, &a); err != nil {
		s.writeError(c, apperr.Wrap(apperr.Internal, "internal", "Something went wrong on our side.", err))
		return
	}
	created, err := s.shares.Create(c.Request.Context(), u.ID, u.ScreenName, a)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, created)
}

func (s *Server) deleteShare(c *gin.Context) {
	if err := s.shares.Delete(c.Request.Context(), c.Param("id"), userFrom(c).ID); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
