package twitter

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	gotwitter "github.com/dghubble/go-twitter/twitter"
)

// verifyCredentialsV1 identifies the token's user with go-twitter's account/verify_credentials.
func (c *Client) verifyCredentialsV1(ctx context.Context, tok Token) (User, error) {
	var u *gotwitter.User
	sent := 0
	err := c.do(ctx, tok, request{endpoint: "verify_credentials"}, &sent, func(hc *http.Client) response {
		user, resp, err := gotwitter.NewClient(hc).Accounts.VerifyCredentials(&gotwitter.AccountVerifyParams{
			SkipStatus:      gotwitter.Bool(true),
			IncludeEntities: gotwitter.Bool(false),
		})
		u = user
		status, header := statusOf(resp)
		return response{status: status, header: header, err: err}
	})
	if err != nil {
		return User{}, err
	}
	// go-twitter answers an empty 2xx body with a zero user and no error.
	if u == nil || u.IDStr == "" {
		return User{}, unavailable("verify_credentials", fmt.Errorf("response without a user id"))
	}
	return User{ID: u.IDStr, Name: u.Name, ScreenName: u.ScreenName, ImageURL: u.ProfileImageURLHttps}, nil
}

// fetchV1 reads the user's posts newest first with go-twitter's statuses/user_timeline in pages
// of 200, walking back with max_id, handing each page to page. It stops at the first page that is
// short (the API has nothing older, or nothing newer than sinceID), that reaches before from, or
// when the 3,200-post history cap is reached — so it never spends more than ceil(posts/200)+1
// requests. truncated reports a read that hit the cap before reaching from (or sinceID).
func (c *Client) fetchV1(ctx context.Context, tok Token, userID string, from time.Time, sinceID int64, stats *FetchStats, page func([]post)) (truncated bool, err error) {
	uid, _ := strconv.ParseInt(userID, 10, 64) // 0 (omitted) means the token's own user
	var maxID int64
	total := 0
	for n := 1; ; n++ {
		params := &gotwitter.UserTimelineParams{
			UserID:          uid,
			Count:           v1PageSize,
			SinceID:         sinceID,
			MaxID:           maxID,
			TrimUser:        gotwitter.Bool(true),
			IncludeRetweets: gotwitter.Bool(true),
			TweetMode:       "extended",
		}
		var tweets []gotwitter.Tweet
		err := c.do(ctx, tok, request{endpoint: "user_timeline", userID: userID, budgeted: true}, &stats.Calls,
			func(hc *http.Client) response {
				t, resp, err := gotwitter.NewClient(hc).Timelines.UserTimeline(params)
				tweets = t
				status, header := statusOf(resp)
				return response{status: status, header: header, err: err}
			})
		if err != nil {
			return false, fmt.Errorf("fetch timeline page %d: %w", n, err)
		}
		stats.PostsRead += len(tweets)

		posts := make([]post, 0, len(tweets))
		oldestID, oldest := int64(0), int64(0)
		for _, tw := range tweets {
			at, err := tw.CreatedAtTime()
			if err != nil {
				return false, unavailable("user_timeline", fmt.Errorf("post %d: bad created_at: %w", tw.ID, err))
			}
			text := tw.FullText
			if text == "" {
				text = tw.Text
			}
			p := post{id: tw.ID, ms: at.UnixMilli(), source: tw.Source, text: text}
			posts = append(posts, p)
			if oldestID == 0 || p.id < oldestID {
				oldestID, oldest = p.id, p.ms
			}
		}
		page(posts)
		total += len(posts)
		switch {
		case len(posts) > 0 && oldest < from.UnixMilli(), // the window is covered
			sinceID > 0 && oldestID <= sinceID+1: // caught up with the stored posts
			return false, nil
		case total >= historyCap: // the API serves nothing older, on a refresh too
			return true, nil
		case len(tweets) < v1PageSize: // nothing more (or nothing more that is new)
			return false, nil
		}
		maxID = oldestID - 1
	}
}
