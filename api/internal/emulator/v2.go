package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nezame/nezame/api/internal/emulator/persona"
)

// v2Time is X API v2's created_at layout.
const v2Time = "2006-01-02T15:04:05.000Z"

// usersMe answers GET /2/users/me.
func (e *Emulator) usersMe(w http.ResponseWriter, r *http.Request) {
	s, ae := e.authenticate(r, withAccessToken)
	if ae != nil {
		e.writeError(w, v2, ae)
		return
	}
	if !e.limit(w, v2, s.token, epUsersMe, false) {
		return
	}
	u := s.access.user
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]string{
		"id":                u.IDString(),
		"name":              u.Name(),
		"username":          u.ScreenName(),
		"profile_image_url": e.avatarURL(r, u), // on the request's own scheme, as in v1.go
	}})
}

// tweetV2 is a v2 tweet object; created_at and source only when asked for in tweet.fields.
type tweetV2 struct {
	ID                  string   `json:"id"`
	Text                string   `json:"text"`
	EditHistoryTweetIDs []string `json:"edit_history_tweet_ids"`
	CreatedAt           string   `json:"created_at,omitempty"`
	Source              string   `json:"source,omitempty"`
}

type metaV2 struct {
	ResultCount int    `json:"result_count"`
	NewestID    string `json:"newest_id,omitempty"`
	OldestID    string `json:"oldest_id,omitempty"`
	NextToken   string `json:"next_token,omitempty"`
}

type tweetsV2 struct {
	Data []tweetV2 `json:"data,omitempty"`
	Meta metaV2    `json:"meta"`
}

// sourceName turns the v1.1 HTML anchor into v2's plain client name.
func sourceName(anchor string) string {
	if i := strings.IndexByte(anchor, '>'); i >= 0 {
		if j := strings.LastIndex(anchor, "</a>"); j > i {
			return anchor[i+1 : j]
		}
	}
	return anchor
}

// Pagination tokens are opaque to clients; here they carry the id of the last post returned.
func encodePageToken(lastID int64) string { return "p" + strconv.FormatInt(lastID, 36) }

func decodePageToken(s string) (int64, bool) {
	rest, ok := strings.CutPrefix(s, "p")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 36, 64)
	return n, err == nil && n > 0
}

func badV2(msg string) *apiError { return &apiError{http.StatusBadRequest, 0, msg} }

// usersTweets answers GET /2/users/:id/tweets for the signed-in user's own id: newest first,
// max_results 5..100 (default 10), pagination_token / meta.next_token, since_id and until_id
// (exclusive), start_time (inclusive) and end_time (exclusive), exclude=retweets,replies, and
// only the 3,200 most recent posts. Another user's id answers 403.
func (e *Emulator) usersTweets(w http.ResponseWriter, r *http.Request) {
	s, ae := e.authenticate(r, withAccessToken)
	if ae != nil {
		e.writeError(w, v2, ae)
		return
	}
	u := s.access.user
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		e.writeError(w, v2, badV2(fmt.Sprintf("The `id` query parameter value [%s] is not valid", r.PathValue("id"))))
		return
	}
	if id != u.ID() {
		e.writeError(w, v2, &apiError{http.StatusForbidden, 0, "You can only read the authenticated user's own posts."})
		return
	}
	q := r.URL.Query()
	maxResults := 10
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 100 {
			e.writeError(w, v2, badV2(fmt.Sprintf("The `max_results` query parameter value [%s] is not between 5 and 100", v)))
			return
		}
		maxResults = n
	}
	sinceID, ok1 := parseID(q.Get("since_id"))
	untilID, ok2 := parseID(q.Get("until_id"))
	if !ok1 || !ok2 {
		e.writeError(w, v2, badV2("since_id and until_id must be tweet ids"))
		return
	}
	if t := q.Get("pagination_token"); t != "" {
		last, ok := decodePageToken(t)
		if !ok {
			e.writeError(w, v2, badV2(fmt.Sprintf("The `pagination_token` query parameter value [%s] is not valid", t)))
			return
		}
		if untilID == 0 || last < untilID {
			untilID = last
		}
	}
	var start, end time.Time
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"start_time", &start}, {"end_time", &end}} {
		if v := q.Get(f.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				e.writeError(w, v2, badV2(fmt.Sprintf("Invalid '%s':'%s'. '%s' must be a valid RFC 3339 time.", f.name, v, f.name)))
				return
			}
			*f.dst = t
		}
	}
	var noRTs, noReplies bool
	if v := q.Get("exclude"); v != "" {
		for _, x := range strings.Split(v, ",") {
			switch x {
			case "retweets":
				noRTs = true
			case "replies":
				noReplies = true
			default:
				e.writeError(w, v2, badV2(fmt.Sprintf("The `exclude` query parameter value [%s] is not one of [retweets,replies]", x)))
				return
			}
		}
	}
	var withCreated, withSource bool
	for _, f := range strings.Split(q.Get("tweet.fields"), ",") {
		withCreated = withCreated || f == "created_at"
		withSource = withSource || f == "source"
	}
	if !e.limit(w, v2, s.token, epUsersTweets, true) {
		return
	}

	var out tweetsV2
	more := false
	e.gen.Walk(u, e.cfg.Now(), func(_ int, p persona.Post) bool {
		if untilID > 0 && p.ID >= untilID || !end.IsZero() && !p.Time.Before(end) {
			return true
		}
		if p.ID <= sinceID || !start.IsZero() && p.Time.Before(start) {
			return false
		}
		if noRTs && p.Kind == persona.Retweet || noReplies && p.Kind == persona.Reply {
			return true
		}
		if len(out.Data) == maxResults {
			more = true
			return false
		}
		t := tweetV2{ID: strconv.FormatInt(p.ID, 10), Text: p.Text}
		t.EditHistoryTweetIDs = []string{t.ID}
		if withCreated {
			t.CreatedAt = p.Time.UTC().Truncate(time.Second).Format(v2Time)
		}
		if withSource {
			t.Source = sourceName(p.Source)
		}
		out.Data = append(out.Data, t)
		return true
	})
	out.Meta.ResultCount = len(out.Data)
	if n := len(out.Data); n > 0 {
		out.Meta.NewestID, out.Meta.OldestID = out.Data[0].ID, out.Data[n-1].ID
		if more {
			last, _ := strconv.ParseInt(out.Data[n-1].ID, 10, 64)
			out.Meta.NextToken = encodePageToken(last)
		}
	}
	e.stats.addPosts(epUsersTweets, len(out.Data))
	writeJSON(w, http.StatusOK, out)
}
