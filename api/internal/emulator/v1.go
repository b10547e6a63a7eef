package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nezame/nezame/api/internal/emulator/persona"
)

// rubyDate is v1.1's created_at layout.
const rubyDate = "Mon Jan 02 15:04:05 -0700 2006"

// userJSON is a v1.1 user object (the fields clients read).
type userJSON struct {
	ID                   int64   `json:"id"`
	IDStr                string  `json:"id_str"`
	Name                 string  `json:"name,omitempty"`
	ScreenName           string  `json:"screen_name,omitempty"`
	Location             string  `json:"location,omitempty"`
	Description          string  `json:"description,omitempty"`
	URL                  *string `json:"url,omitempty"`
	Protected            bool    `json:"protected"`
	FollowersCount       int     `json:"followers_count,omitempty"`
	FriendsCount         int     `json:"friends_count,omitempty"`
	StatusesCount        int     `json:"statuses_count,omitempty"`
	CreatedAt            string  `json:"created_at,omitempty"`
	Verified             bool    `json:"verified"`
	ProfileImageURL      string  `json:"profile_image_url,omitempty"`
	ProfileImageURLHTTPS string  `json:"profile_image_url_https,omitempty"`
}

func (e *Emulator) fullUser(r *http.Request, u persona.User) *userJSON {
	img := e.avatarURL(r, u)
	id := u.ID()
	return &userJSON{
		ID: id, IDStr: u.IDString(), Name: u.Name(), ScreenName: u.ScreenName(),
		Location:       "Tokyo",
		Description:    u.Persona.Description,
		FollowersCount: int(100 + id%900),
		FriendsCount:   int(50 + id%450),
		StatusesCount:  int(1000 + id%50000),
		CreatedAt:      time.Date(2012, 3, 4, 5, 6, 7, 0, time.UTC).Format(rubyDate),
		// Both carry the scheme the request came in on, so the image loads in local demo mode.
		ProfileImageURL:      img,
		ProfileImageURLHTTPS: img,
	}
}

// tweetJSON is a v1.1 tweet object.
type tweetJSON struct {
	CreatedAt            string     `json:"created_at"`
	ID                   int64      `json:"id"`
	IDStr                string     `json:"id_str"`
	Text                 string     `json:"text,omitempty"`
	FullText             string     `json:"full_text,omitempty"`
	DisplayTextRange     []int      `json:"display_text_range,omitempty"`
	Truncated            bool       `json:"truncated"`
	Entities             entities   `json:"entities"`
	Source               string     `json:"source"`
	InReplyToStatusID    *int64     `json:"in_reply_to_status_id"`
	InReplyToStatusIDStr *string    `json:"in_reply_to_status_id_str"`
	InReplyToUserID      *int64     `json:"in_reply_to_user_id"`
	InReplyToUserIDStr   *string    `json:"in_reply_to_user_id_str"`
	InReplyToScreenName  *string    `json:"in_reply_to_screen_name"`
	User                 *userJSON  `json:"user"`
	RetweetedStatus      *tweetJSON `json:"retweeted_status,omitempty"`
	IsQuoteStatus        bool       `json:"is_quote_status"`
	RetweetCount         int        `json:"retweet_count"`
	FavoriteCount        int        `json:"favorite_count"`
	Favorited            bool       `json:"favorited"`
	Retweeted            bool       `json:"retweeted"`
	Lang                 string     `json:"lang"`
}

type hashtag struct {
	Text    string `json:"text"`
	Indices [2]int `json:"indices"`
}

type entities struct {
	Hashtags     []hashtag `json:"hashtags"`
	Symbols      []any     `json:"symbols"`
	UserMentions []any     `json:"user_mentions"`
	URLs         []any     `json:"urls"`
}

func entitiesOf(text string) entities {
	e := entities{Hashtags: []hashtag{}, Symbols: []any{}, UserMentions: []any{}, URLs: []any{}}
	runes := []rune(text)
	for i := 0; i < len(runes); i++ {
		if runes[i] != '#' {
			continue
		}
		j := i + 1
		for j < len(runes) && runes[j] != ' ' {
			j++
		}
		if j > i+1 {
			e.Hashtags = append(e.Hashtags, hashtag{Text: string(runes[i+1 : j]), Indices: [2]int{i, j}})
		}
		i = j
	}
	return e
}

func friendJSON() *userJSON {
	return &userJSON{ID: persona.FriendID, IDStr: strconv.FormatInt(persona.FriendID, 10), Name: "Friend", ScreenName: persona.FriendScreenName}
}

type tweetOpts struct {
	extended bool
	user     *userJSON
}

func makeTweet(p persona.Post, o tweetOpts) *tweetJSON {
	t := &tweetJSON{
		CreatedAt: p.Time.UTC().Format(rubyDate),
		ID:        p.ID,
		IDStr:     strconv.FormatInt(p.ID, 10),
		Entities:  entitiesOf(p.Text),
		Source:    p.Source,
		User:      o.user,
		Lang:      "ja",
	}
	if o.extended {
		t.FullText = p.Text
		t.DisplayTextRange = []int{0, len([]rune(p.Text))}
	} else {
		t.Text = p.Text
	}
	switch p.Kind {
	case persona.Reply:
		id, uid := p.ReplyTo, persona.FriendID
		ids, uids, sn := strconv.FormatInt(id, 10), strconv.FormatInt(uid, 10), persona.FriendScreenName
		t.InReplyToStatusID, t.InReplyToStatusIDStr = &id, &ids
		t.InReplyToUserID, t.InReplyToUserIDStr, t.InReplyToScreenName = &uid, &uids, &sn
	case persona.Retweet:
		orig := persona.Post{
			ID:     p.RetweetedID,
			Time:   persona.TimeOfID(p.RetweetedID),
			Text:   strings.TrimPrefix(p.Text, "RT @"+persona.FriendScreenName+": "),
			Source: persona.SourceWeb,
		}
		t.RetweetedStatus = makeTweet(orig, tweetOpts{extended: o.extended, user: friendJSON()})
		t.RetweetCount = 1
	}
	return t
}

// verifyCredentials answers GET /1.1/account/verify_credentials.json.
func (e *Emulator) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	s, ae := e.authenticate(r, withAccessToken)
	if ae != nil {
		e.writeError(w, v1, ae)
		return
	}
	if !e.limit(w, v1, s.token, epVerifyCredentials, false) {
		return
	}
	writeJSON(w, http.StatusOK, e.fullUser(r, s.access.user))
}

// parseBool reads Twitter's boolean parameters ("true", "t", "1").
func parseBool(v string, def bool) bool {
	switch strings.ToLower(v) {
	case "true", "t", "1":
		return true
	case "false", "f", "0":
		return false
	}
	return def
}

func parseID(v string) (int64, bool) {
	if v == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n > 0
}

// userTimeline answers GET /1.1/statuses/user_timeline.json: newest first, count <= 200
// (default 20), max_id inclusive, since_id exclusive, only the 3,200 most recent posts. As on
// Twitter, count is applied before include_rts=false / exclude_replies strip posts, so a page
// may come back short.
func (e *Emulator) userTimeline(w http.ResponseWriter, r *http.Request) {
	s, ae := e.authenticate(r, withAccessToken)
	if ae != nil {
		e.writeError(w, v1, ae)
		return
	}
	q := r.URL.Query()
	count := 20
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeV1Error(w, http.StatusBadRequest, 44, "count parameter is invalid.")
			return
		}
		count = min(max(n, 1), 200)
	}
	maxID, ok1 := parseID(q.Get("max_id"))
	sinceID, ok2 := parseID(q.Get("since_id"))
	if !ok1 || !ok2 {
		writeV1Error(w, http.StatusBadRequest, 44, "max_id and since_id must be positive integers.")
		return
	}
	u := s.access.user
	if id := q.Get("user_id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			writeV1Error(w, http.StatusNotFound, 34, "Sorry, that page does not exist.")
			return
		}
		if u, err = persona.UserByID(n); err != nil {
			writeV1Error(w, http.StatusNotFound, 34, "Sorry, that page does not exist.")
			return
		}
	} else if sn := q.Get("screen_name"); sn != "" {
		var err error
		if u, err = persona.UserByScreenName(sn); err != nil {
			writeV1Error(w, http.StatusNotFound, 34, "Sorry, that page does not exist.")
			return
		}
	}
	if !e.limit(w, v1, s.token, epUserTimeline, true) {
		return
	}
	includeRTs := parseBool(q.Get("include_rts"), true)
	excludeReplies := parseBool(q.Get("exclude_replies"), false)
	opts := tweetOpts{extended: q.Get("tweet_mode") == "extended"}
	if parseBool(q.Get("trim_user"), false) {
		opts.user = &userJSON{ID: u.ID(), IDStr: u.IDString()}
	} else {
		opts.user = e.fullUser(r, u)
	}

	out := make([]*tweetJSON, 0, count)
	taken := 0
	e.gen.Walk(u, e.cfg.Now(), func(_ int, p persona.Post) bool {
		if maxID > 0 && p.ID > maxID {
			return true
		}
		if p.ID <= sinceID {
			return false
		}
		taken++
		if (includeRTs || p.Kind != persona.Retweet) && (!excludeReplies || p.Kind != persona.Reply) {
			out = append(out, makeTweet(p, opts))
		}
		return taken < count
	})
	e.stats.addPosts(epUserTimeline, len(out))
	writeJSON(w, http.StatusOK, out)
}
