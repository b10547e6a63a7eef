package twitter

import (
	"context"
	"errors"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
)

// Fetched is what one Fetch read: the times of the new posts kept for analysis, and what the
// next fetch needs to know.
type Fetched struct {
	// Times are the Unix milliseconds of the posts read that are in the window, newer than the
	// since id, and not automated (analyzer.IsAutomated), newest first as the API returns them.
	Times []int64
	// NewestID is the newest post id seen, dropped posts included (they need not be read again
	// either); the since id when nothing newer was read.
	NewestID int64
	// Truncated says the read stopped at Twitter's 3,200-post cap before reaching the window's
	// start or, on a refresh, the since id: older posts exist that the API will not return, so
	// on a refresh there is a hole between the stored posts and the ones read.
	Truncated bool
	Stats     FetchStats
}

// Progress is told how many posts have been read so far, after each page.
type Progress func(read int)

// post is one post as a page delivers it: its time already in Unix milliseconds; source and text
// live only for the automated-post rules and are never kept.
type post struct {
	id     int64
	ms     int64
	source string
	text   string
}

// Fetch reads userID's posts made at or after from (and, when sinceID > 0, newer than sinceID):
// the whole window on a first read, only what is new on a refresh. progress (may be nil) hears
// after every page. Nothing is stored here; the caller merges and keeps the result.
func (c *Client) Fetch(ctx context.Context, tok Token, userID string, from time.Time, sinceID int64, progress Progress) (Fetched, error) {
	if userID == "" {
		return Fetched{}, apperr.Internal(errors.New("twitter: Fetch needs the user's id"))
	}
	out := Fetched{NewestID: sinceID, Times: []int64{}}
	out.Stats.Incremental = sinceID > 0
	fromMs := from.UnixMilli()
	read := 0
	page := func(posts []post) {
		for _, p := range posts {
			out.NewestID = max(out.NewestID, p.id)
			// since_id is exclusive, but a post at or below it must never be counted twice.
			if p.id <= sinceID || p.ms < fromMs || analyzer.IsAutomated(analyzer.Post{Source: p.source, Text: p.text}) {
				continue
			}
			out.Times = append(out.Times, p.ms)
		}
		read += len(posts)
		if progress != nil {
			progress(read)
		}
	}
	var err error
	if c.cfg.Version == Version2 {
		out.Truncated, err = c.fetchV2(ctx, tok, userID, from, sinceID, &out.Stats, page)
	} else {
		out.Truncated, err = c.fetchV1(ctx, tok, userID, from, sinceID, &out.Stats, page)
	}
	if err != nil {
		return Fetched{Stats: out.Stats}, err
	}
	out.Stats.Kept = len(out.Times)
	c.log.Info("twitter fetch", "user_id", userID, "calls", out.Stats.Calls, "posts_read", out.Stats.PostsRead,
		"kept_new", out.Stats.Kept, "incremental", out.Stats.Incremental, "truncated", out.Truncated)
	return out, nil
}
