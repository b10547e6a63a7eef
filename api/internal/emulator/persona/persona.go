// Package persona generates the emulator's demo users and their posts, deterministically from a
// seed and the current time, so that the last weeks always hold posts and new posts appear as
// time passes.
//
// Model. Every user has one schedule per local calendar day D (in persona.Zone, UTC+9): a wake
// time and an end of day, drawn from a PRNG keyed by (seed, persona, user number, D). Day D
// "owns" the interval [wake(D), wake(D+1)); its posts all lie in it: human posts while awake
// (consecutive gaps at most 2.5 h, so the analyzer sees one awake period per day) and automated
// posts (a twittbot.net bot in the middle of the night, a weekly report) during the night after.
// Because a date always yields the same posts and a post is visible once its time has passed,
// a since_id refresh later sees exactly the posts made in between.
//
// Status ids are snowflake-like: (milliseconds since Twitter's epoch) << 22 | worker << 12 | seq,
// with worker derived from the user and seq the post's index within its day, so ids increase
// with time and are unique per user.
//
// Numbered users. "night_owl#123" (or persona "night_owl" with number 123) is a distinct user
// with its own id (see User) and its own posts, whose whole schedule is the persona's shape
// shifted by a deterministic offset of -90..+90 minutes (ShiftMinutes); number 0 is the plain
// persona and is not shifted.
package persona

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Zone is the local time zone the personas live in (Japan, no daylight saving).
var Zone = time.FixedZone("JST", 9*60*60)

// WindowDays is how many days of history exist; older posts never do.
const WindowDays = 60

// twitterEpochMs is the snowflake epoch (2010-11-04T01:42:54.657Z).
const twitterEpochMs = 1288834974657

// Sources are the client apps posts claim to come from, as the v1.1 `source` HTML anchor.
const (
	SourceWeb     = `<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>`
	SourceIPhone  = `<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>`
	SourceAndroid = `<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>`
	// SourceBot is the scheduled-bot client the analyzer must filter out.
	SourceBot = `<a href="http://twittbot.net/" rel="nofollow">twittbot.net</a>`
	// SourceReport is the client of the weekly auto-report.
	SourceReport = `<a href="https://sumall.com/" rel="nofollow">SumAll</a>`
)

// ReportHashtag marks the weekly auto-report posts (their text also says "My week on Twitter").
const ReportHashtag = "#MyWeekOnTwitter"

// Persona describes one demo persona.
type Persona struct {
	Name        string // e.g. "night_owl"
	DisplayName string
	Description string // one line for the consent page
	kind        int
}

const (
	earlyBird = iota
	nightOwl
	shiftWorker
	chaotic
	silent
	heavy
)

var personas = []Persona{
	{"early_bird", "Early Bird", "Up around 5:30, asleep around 22:00; a twittbot.net bot posts at night.", earlyBird},
	{"night_owl", "Night Owl", "Wakes near 11:30, posts until 3–4 am; a weekly auto-report on Mondays.", nightOwl},
	{"shift_worker", "Shift Worker", "Rotating day / evening / night shifts, one week each.", shiftWorker},
	{"chaotic", "Chaotic", "No two days alike: random wake times, short nights, the odd all-nighter.", chaotic},
	{"silent", "Silent", "Has an account, never posts.", silent},
	{"heavy", "Heavy Poster", "About 150 posts a day: more than the API's 3,200-post cap in 28 days.", heavy},
}

// All returns the personas in display order.
func All() []Persona {
	out := make([]Persona, len(personas))
	copy(out, personas)
	return out
}

// ErrUnknown reports a persona name or user that does not exist.
var ErrUnknown = errors.New("unknown persona")

// MaxNumber is the largest user number accepted in "persona#N".
const MaxNumber = 999_999_999

// User is one sign-in identity: a persona and a user number (0 = the persona itself).
type User struct {
	Persona Persona
	Number  int
}

// ParseUser parses "night_owl" or "night_owl#123".
func ParseUser(s string) (User, error) {
	name, num, hasNum := strings.Cut(strings.TrimSpace(s), "#")
	n := 0
	if hasNum {
		v, err := strconv.Atoi(num)
		if err != nil || v < 0 || v > MaxNumber {
			return User{}, fmt.Errorf("%w: bad user number %q", ErrUnknown, num)
		}
		n = v
	}
	for _, p := range personas {
		if p.Name == name {
			return User{Persona: p, Number: n}, nil
		}
	}
	return User{}, fmt.Errorf("%w: %q", ErrUnknown, name)
}

// ID is the user's stable numeric id: (persona index + 1) * 10^9 + number.
func (u User) ID() int64 { return int64(u.Persona.kind+1)*1_000_000_000 + int64(u.Number) }

// IDString is ID in decimal.
func (u User) IDString() string { return strconv.FormatInt(u.ID(), 10) }

// ScreenName is "night_owl" for number 0 and "night_owl_123" otherwise.
func (u User) ScreenName() string {
	if u.Number == 0 {
		return u.Persona.Name
	}
	return u.Persona.Name + "_" + strconv.Itoa(u.Number)
}

// Name is the display name.
func (u User) Name() string {
	if u.Number == 0 {
		return u.Persona.DisplayName
	}
	return u.Persona.DisplayName + " " + strconv.Itoa(u.Number)
}

// String is the "persona#N" form ParseUser accepts.
func (u User) String() string {
	if u.Number == 0 {
		return u.Persona.Name
	}
	return u.Persona.Name + "#" + strconv.Itoa(u.Number)
}

// UserByID inverts User.ID.
func UserByID(id int64) (User, error) {
	k := id/1_000_000_000 - 1
	n := id % 1_000_000_000
	if id <= 0 || k < 0 || k >= int64(len(personas)) {
		return User{}, fmt.Errorf("%w: id %d", ErrUnknown, id)
	}
	return User{Persona: personas[k], Number: int(n)}, nil
}

// UserByScreenName inverts User.ScreenName.
func UserByScreenName(s string) (User, error) {
	for _, p := range personas {
		if s == p.Name {
			return User{Persona: p}, nil
		}
		if rest, ok := strings.CutPrefix(s, p.Name+"_"); ok {
			if n, err := strconv.Atoi(rest); err == nil && n > 0 && n <= MaxNumber && strconv.Itoa(n) == rest {
				return User{Persona: p, Number: n}, nil
			}
		}
	}
	return User{}, fmt.Errorf("%w: screen name %q", ErrUnknown, s)
}

// ShiftMinutes is how far a numbered user's schedule is moved from the persona's shape.
func (u User) ShiftMinutes() int {
	if u.Number == 0 {
		return 0
	}
	return int(uint64(u.Number)*7919%181) - 90
}

// Kind tells ordinary posts from the others.
type Kind uint8

// Post kinds.
const (
	Original Kind = iota
	Reply
	Retweet
	Bot    // from twittbot.net
	Report // the weekly auto-report
)

// Post is one generated post.
type Post struct {
	ID      int64
	Time    time.Time // UTC, millisecond precision
	Kind    Kind
	Text    string
	Source  string // HTML anchor
	ReplyTo int64  // for Reply: the id of the user's previous post
	// RetweetedID is the id of the original for a Retweet (an older post by FriendScreenName).
	RetweetedID int64
}

// FriendScreenName is the account the personas reply to and retweet.
const FriendScreenName = "nezame_friend"

// FriendID is FriendScreenName's user id.
const FriendID int64 = 42

// schedule is one local day's awake interval.
type schedule struct {
	wake, end time.Time
}

func (u User) rng(seed int64, date time.Time, salt uint64) *rand.Rand {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%s|%d|%s|%d", seed, u.Persona.Name, u.Number, date.Format("2006-01-02"), salt)
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

func clockOn(date time.Time, hours float64) time.Time {
	return date.Add(time.Duration(hours * float64(time.Hour)))
}

// schedule returns day D's wake time and end of day, both already shifted. date is local
// midnight of D in Zone.
func (u User) schedule(seed int64, date time.Time) schedule {
	r := u.rng(seed, date, 1)
	var wakeH, awakeH float64
	switch u.Persona.kind {
	case earlyBird:
		wakeH = 5.0 + r.Float64()*1.0 // 05:00-06:00
		awakeH = 15.5 + r.Float64()*1.5
	case nightOwl:
		wakeH = 10.5 + r.Float64()*2.0 // 10:30-12:30
		awakeH = 15.5 + r.Float64()*1.5
	case shiftWorker:
		// A 21-day rotation of 7-day blocks: day shift, evening shift, night shift.
		days := int(math.Floor(float64(date.Unix()) / 86400))
		switch (days / 7) % 3 {
		case 0:
			wakeH = 5.5 + r.Float64()*0.5 // day shift 07:00-15:00
			awakeH = 16 + r.Float64()
		case 1:
			wakeH = 9.5 + r.Float64()*0.5 // evening shift 14:00-22:00
			awakeH = 15.5 + r.Float64()
		default:
			wakeH = 15.0 + r.Float64()*0.5 // night shift 22:00-06:00, sleeps in the morning
			awakeH = 16.5 + r.Float64()
		}
	case chaotic:
		// Only the wake time is drawn here; day() ends the day a random sleep before the next
		// wake, so that nights vary without overlapping days.
		wakeH = 5 + r.Float64()*8
		awakeH = 40
	case heavy:
		wakeH = 6.5 + r.Float64()*1.0
		awakeH = 17 + r.Float64()*0.5
	default:
		wakeH, awakeH = 8, 14
	}
	shift := time.Duration(u.ShiftMinutes()) * time.Minute
	wake := clockOn(date, wakeH).Add(shift).Truncate(time.Millisecond)
	return schedule{wake: wake, end: clockOn(date, wakeH+awakeH).Add(shift).Truncate(time.Millisecond)}
}

func (u User) meanGap() time.Duration {
	switch u.Persona.kind {
	case earlyBird:
		return 45 * time.Minute
	case nightOwl:
		return 35 * time.Minute
	case shiftWorker:
		return 50 * time.Minute
	case chaotic:
		return 60 * time.Minute
	case heavy:
		return 7 * time.Minute
	}
	return time.Hour
}

var phrases = []string{
	"おはよう", "coffee first", "電車混んでる", "lunch time!", "眠い…", "reading a good book",
	"今日は雨", "back to work", "ラーメン食べたい", "this bug again", "散歩してきた", "gym done",
	"新しい曲いいね", "meeting marathon", "夕焼けきれい", "cooking curry tonight", "おやすみ",
	"can't sleep", "週末なにしよう", "deploy went fine", "猫がかわいい", "watching the match",
}

// day generates the posts of local day D (midnight in Zone), oldest first.
func (u User) day(seed int64, date time.Time) []Post {
	if u.Persona.kind == silent {
		return nil
	}
	s := u.schedule(seed, date)
	next := u.schedule(seed, date.AddDate(0, 0, 1))
	r := u.rng(seed, date, 2)
	end := s.end
	if u.Persona.kind == chaotic {
		sleep := time.Duration((4 + r.Float64()*5) * float64(time.Hour))
		if r.IntN(8) == 0 {
			sleep = 0 // an all-nighter
		}
		end = next.wake.Add(-sleep)
	}
	if limit := next.wake.Add(-45 * time.Minute); end.After(limit) {
		end = limit
	}
	worker := int64(fnvUser(u) & 0x3ff)
	var posts []Post
	add := func(t time.Time, k Kind, seq int) {
		t = t.Truncate(time.Millisecond).UTC()
		p := Post{
			ID:   (t.UnixMilli()-twitterEpochMs)<<22 | worker<<12 | int64(seq),
			Time: t,
			Kind: k,
		}
		switch k {
		case Bot:
			p.Source = SourceBot
			p.Text = "【自動投稿】今日のひとこと: " + phrases[r.IntN(len(phrases))]
		case Report:
			p.Source = SourceReport
			p.Text = fmt.Sprintf("My week on Twitter 🎉: %d Mentions, %d Likes, %d New Followers. See yours with sumall.com/myweek %s",
				r.IntN(40), r.IntN(300), r.IntN(20), ReportHashtag)
		default:
			p.Source = []string{SourceWeb, SourceIPhone, SourceIPhone, SourceAndroid}[r.IntN(4)]
			p.Text = phrases[r.IntN(len(phrases))]
		}
		posts = append(posts, p)
	}
	mean := float64(u.meanGap())
	const maxGap = 150 * time.Minute
	seq := 0
	for t := s.wake.Add(time.Duration(r.Float64() * float64(5*time.Minute))); t.Before(end) && seq < 3000; seq++ {
		k := Original
		switch x := r.IntN(100); {
		case x < 10 && seq > 0:
			k = Reply
		case x < 16:
			k = Retweet
		}
		add(t, k, seq)
		gap := time.Duration(r.ExpFloat64() * mean)
		gap = min(max(gap, 20*time.Second), maxGap)
		t = t.Add(gap)
	}
	for i := range posts {
		switch posts[i].Kind {
		case Reply:
			posts[i].ReplyTo = posts[i-1].ID
			posts[i].Text = "@" + FriendScreenName + " " + posts[i].Text
		case Retweet:
			// The original is a friend's post from a little earlier.
			orig := posts[i].Time.Add(-time.Duration(1+r.IntN(600)) * time.Minute)
			posts[i].RetweetedID = (orig.UnixMilli()-twitterEpochMs)<<22 | 7<<12 | int64(i)
			posts[i].Text = "RT @" + FriendScreenName + ": " + posts[i].Text
		}
	}
	night := next.wake.Sub(end)
	switch u.Persona.kind {
	case earlyBird, heavy:
		if night > 2*time.Hour {
			add(end.Add(night/2), Bot, 3000)
		}
	case nightOwl:
		// The weekly report goes out in the small hours after a Sunday.
		if date.Weekday() == time.Sunday && night > 2*time.Hour {
			add(end.Add(night/2), Report, 3001)
		}
	}
	return posts
}

func fnvUser(u User) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s#%d", u.Persona.Name, u.Number)
	return h.Sum64()
}

// localMidnight returns local midnight in Zone of the date t falls on.
func localMidnight(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}

// Cap is how many of a user's most recent posts the API ever returns.
const Cap = 3200

// Generator produces posts; it holds only the seed and is safe for concurrent use.
type Generator struct {
	seed int64
}

// NewGenerator returns a Generator for a seed.
func NewGenerator(seed int64) *Generator { return &Generator{seed: seed} }

// Day returns the posts of local day date (any time on it), oldest first, including those
// still in the future.
func (g *Generator) Day(u User, date time.Time) []Post {
	return u.day(g.seed, localMidnight(date))
}

// Walk calls fn with the user's posts visible at now, newest first, at most Cap of them
// (the rank, 1-based, counts every post, so nothing older than the Cap-th is ever passed), and
// stops when fn returns false. Days are generated lazily, so a since_id query touches only
// the newest days.
func (g *Generator) Walk(u User, now time.Time, fn func(rank int, p Post) bool) {
	if u.Persona.kind == silent {
		return
	}
	today := localMidnight(now)
	rank := 0
	// Tomorrow's day may already have started for shifted users near midnight.
	for d := 1; d >= -WindowDays; d-- {
		posts := u.day(g.seed, today.AddDate(0, 0, d))
		for i := len(posts) - 1; i >= 0; i-- {
			if posts[i].Time.After(now) {
				continue
			}
			rank++
			if rank > Cap || !fn(rank, posts[i]) {
				return
			}
		}
	}
}

// TimeOfID returns the time a snowflake-like status id was minted.
func TimeOfID(id int64) time.Time {
	return time.UnixMilli(id>>22 + twitterEpochMs).UTC()
}
