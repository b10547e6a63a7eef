package twitter

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
)

// maxV2Body bounds how much of a v2 response is read: a page of 100 posts is far smaller.
const maxV2Body = 4 << 20

// v2User is the data of GET /2/users/me.
type v2User struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Username        string `json:"username"`
	ProfileImageURL string `json:"profile_image_url"`
}

// v2Tweet is one post of GET /2/users/:id/tweets with tweet.fields=created_at,source.
type v2Tweet struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	Source    string    `json:"source"`
	Text      string    `json:"text"`
}

// v2Meta is the pagination block of a v2 list response.
type v2Meta struct {
	ResultCount int    `json:"result_count"`
	NewestID    string `json:"newest_id"`
	OldestID    string `json:"oldest_id"`
	NextToken   string `json:"next_token"`
}

type v2UserResponse struct {
	Data *v2User `json:"data"`
}

type v2TweetsResponse struct {
	Data []v2Tweet `json:"data"`
	Meta v2Meta    `json:"meta"`
}

// getV2 sends a signed GET to path?query under the base and decodes a 2xx JSON body into out.
// v2 error bodies (problem JSON) are not decoded: the status says all do needs.
func getV2(hc *http.Client, base *url.URL, path string, query url.Values, out any) response {
	u := *base
	u.Path = trimSlash(base.Path) + path
	u.RawPath = ""
	u.RawQuery = query.Encode()
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return response{err: err}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer resp.Body.Close()
	r := response{status: resp.StatusCode, header: resp.Header}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxV2Body))
	if err != nil {
		r.err = fmt.Errorf("read body: %w", err)
		return r
	}
	if resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(body, out); err != nil {
			r.err = fmt.Errorf("decode body: %w", err)
		}
	}
	return r
}

// usersMe identifies the token's user with GET /2/users/me.
func (c *Client) usersMe(ctx context.Context, tok Token) (User, error) {
	var out v2UserResponse
	sent := 0
	q := url.Values{"user.fields": {"profile_image_url"}}
	err := c.do(ctx, tok, request{endpoint: "users_me"}, &sent, func(hc *http.Client) response {
		out = v2UserResponse{}
		return getV2(hc, c.cfg.APIBase, "/2/users/me", q, &out)
	})
	if err != nil {
		return User{}, err
	}
	if out.Data == nil || out.Data.ID == "" {
		return User{}, unavailable("users_me", fmt.Errorf("response without a user id"))
	}
	d := out.Data
	return User{ID: d.ID, Name: d.Name, ScreenName: d.Username, ImageURL: d.ProfileImageURL}, nil
}

// fetchV2 reads the user's posts newest first with GET /2/users/:id/tweets in pages of 100,
// following meta.next_token, handing each page to page. A first read asks only for the window
// (start_time); a refresh asks only for posts newer than sinceID. Every post read is billed under
// v2, so it stops as soon as the window is covered or the 3,200-post cap is reached. truncated
// reports a read that hit the cap before reaching from (or, on a refresh, sinceID).
func (c *Client) fetchV2(ctx context.Context, tok Token, userID string, from time.Time, sinceID int64, stats *FetchStats, page func([]post)) (truncated bool, err error) {
	if _, err := strconv.ParseUint(userID, 10, 64); err != nil {
		return false, apperr.Internal(fmt.Errorf("fetch v2 timeline: user id %q is not numeric", userID))
	}
	q := url.Values{
		"max_results":  {strconv.Itoa(v2PageSize)},
		"tweet.fields": {"created_at,source"},
	}
	if sinceID > 0 {
		q.Set("since_id", strconv.FormatInt(sinceID, 10))
	} else {
		q.Set("start_time", from.UTC().Format(time.RFC3339))
	}
	path := "/2/users/" + userID + "/tweets"
	total := 0
	for n := 1; ; n++ {
		var out v2TweetsResponse
		err := c.do(ctx, tok, request{endpoint: "users_tweets", userID: userID, budgeted: true}, &stats.Calls,
			func(hc *http.Client) response {
				out = v2TweetsResponse{}
				return getV2(hc, c.cfg.APIBase, path, q, &out)
			})
		if err != nil {
			return false, fmt.Errorf("fetch v2 timeline page %d: %w", n, err)
		}
		stats.PostsRead += len(out.Data)

		posts := make([]post, 0, len(out.Data))
		oldest, oldestID := int64(0), int64(0)
		for _, tw := range out.Data {
			id, err := strconv.ParseInt(tw.ID, 10, 64)
			if err != nil || tw.CreatedAt.IsZero() {
				return false, unavailable("users_tweets", fmt.Errorf("post %q: bad id or created_at", tw.ID))
			}
			p := post{id: id, ms: tw.CreatedAt.UnixMilli(), source: tw.Source, text: tw.Text}
			posts = append(posts, p)
			if oldest == 0 || p.ms < oldest {
				oldest = p.ms
			}
			if oldestID == 0 || p.id < oldestID {
				oldestID = p.id
			}
		}
		page(posts)
		total += len(posts)
		switch {
		case len(out.Data) > 0 && oldest < from.UnixMilli(), // the window is covered
			sinceID > 0 && len(out.Data) > 0 && oldestID <= sinceID+1: // caught up with the stored posts
			return false, nil
		case total >= historyCap: // the API serves nothing older, on a refresh too
			return true, nil
		case out.Meta.NextToken == "" || len(out.Data) == 0: // nothing more
			return false, nil
		}
		q.Set("pagination_token", out.Meta.NextToken)
	}
}
