package twitter

import (
	"context"
	"slices"
	"time"

	"github.com/nezame/nezame/analyzer"
	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/twitter/timeline"
)

// rawPost is a post as read from either API version, before filtering. Its text and source live
// only in memory, for the automated-post rules.
type rawPost struct {
	id     int64
	at     time.Time
	source string
	text   string
}

// FetchPosts returns the times of userID's posts in the last WindowDays, oldest first, with
// automated posts already dropped (analyzer.FilterAutomated). It starts from the timeline stored
// in Redis by the previous call and asks the API only for newer posts (since_id); without one it
// reads the whole window. The stored timeline is replaced only after a complete fetch, so a
// failure part-way leaves it as it was. Only times and the newest id are stored, never text.
func (c *Client) FetchPosts(ctx context.Context, tok Token, userID string) ([]analyzer.Post, FetchStats, error) {
	var stats FetchStats
	if c.baseErr != nil {
		return nil, stats, apperr.Wrap(apperr.Internal, "twitter_misconfigured", "The Twitter client is misconfigured.", c.baseErr)
	}
	if userID == "" {
		return nil, stats, apperr.Wrap(apperr.Internal, "twitter_missing_user", "The signed-in user is unknown.", errMissingUser)
	}
	now := c.now()
	// Whole seconds: v1.1 times have no fraction and v2's have milliseconds; against a whole-second
	// window start both versions keep exactly the same posts.
	from := now.Add(-time.Duration(c.cfg.WindowDays) * 24 * time.Hour).Truncate(time.Second)

	stored, ok, err := c.store.Load(ctx, userID)
	if err != nil {
		return nil, stats, apperr.Wrap(apperr.Unavailable, "store_unavailable", "Stored data cannot be read right now.", err)
	}
	var sinceID int64
	if ok && stored.NewestID > 0 {
		sinceID = stored.NewestID
		stats.Incremental = true
	}

	var raw []rawPost
	if c.cfg.Version == Version2 {
		raw, err = c.fetchV2(ctx, tok, userID, from, sinceID, &stats)
	} else {
		raw, err = c.fetchV1(ctx, tok, userID, from, sinceID, &stats)
	}
	if err != nil {
		return nil, stats, err
	}

	next := timeline.Timeline{NewestID: stored.NewestID}
	inWindow := make([]analyzer.Post, 0, len(raw))
	for _, p := range raw {
		// The newest id counts dropped posts too: they need not be read again either.
		if p.id > next.NewestID {
			next.NewestID = p.id
		}
		// since_id is exclusive, but a post at or below it must never be counted twice.
		if p.id <= sinceID || p.at.Before(from) {
			continue
		}
		inWindow = append(inWindow, analyzer.Post{Time: p.at, Source: p.source, Text: p.text})
	}
	kept := analyzer.FilterAutomated(inWindow)
	stats.Kept = len(kept)

	old := stored.Prune(from).Times
	next.Times = make([]int64, 0, len(kept)+len(old))
	for _, p := range kept {
		next.Times = append(next.Times, p.Time.Unix())
	}
	next.Times = append(next.Times, old...)
	if err := c.store.Save(ctx, userID, next); err != nil {
		return nil, stats, apperr.Wrap(apperr.Unavailable, "store_unavailable", "Stored data cannot be written right now.", err)
	}

	posts := make([]analyzer.Post, len(next.Times))
	for i, ts := range next.Times {
		posts[i] = analyzer.Post{Time: time.Unix(ts, 0).UTC()}
	}
	slices.SortFunc(posts, func(a, b analyzer.Post) int { return a.Time.Compare(b.Time) })
	c.log.Info("twitter fetch", "user_id", userID, "calls", stats.Calls, "posts_read", stats.PostsRead,
		"kept_new", stats.Kept, "posts", len(posts), "incremental", stats.Incremental)
	return posts, stats, nil
}

// StoredPosts returns the posts of the window remembered from earlier fetches, without calling
// Twitter, so a returning user can be shown their last known calendar while Twitter's budget is
// spent or Twitter is down. ok is false when nothing is stored.
func (c *Client) StoredPosts(ctx context.Context, userID string) ([]analyzer.Post, bool, error) {
	stored, ok, err := c.store.Load(ctx, userID)
	if err != nil {
		return nil, false, apperr.Wrap(apperr.Unavailable, "store_unavailable", "Stored data cannot be read right now.", err)
	}
	if !ok {
		return nil, false, nil
	}
	from := c.now().Add(-time.Duration(c.cfg.WindowDays) * 24 * time.Hour).Truncate(time.Second)
	kept := stored.Prune(from).Times
	posts := make([]analyzer.Post, len(kept))
	for i, ts := range kept { // newest first in the store; oldest first here, as FetchPosts returns
		posts[len(kept)-1-i] = analyzer.Post{Time: time.Unix(ts, 0)}
	}
	return posts, true, nil
}
