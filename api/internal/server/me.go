package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// me serves GET /api/me: who is signed in.
func (s *Server) me(c *gin.Context) {
	u := userFrom(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"id": u.ID, "name": u.Name, "screenName": u.ScreenName, "imageUrl": u.ImageURL})
}
