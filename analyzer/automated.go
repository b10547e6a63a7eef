package analyzer

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// automatedRules is the one list of rules that marks a post as automated: posted by software on
// the person's behalf, so its timestamp says nothing about when they were awake. It is data
// only and never modified.
//
// What is in and why:
//   - sources: client apps that post without a human at the keyboard: bot hosts (twittbot.net,
//     Cheap Bots Done Quick), automation and feed services (IFTTT, Zapier, dlvr.it,
//     twitterfeed), the ads composer used for scheduled campaigns (Twitter for Advertisers,
//     Twitter Ads Composer), and auto-report services (ツイ廃あらーと, ツイート数カウントくん).
//   - hashtags and phrases: auto-generated summaries that any client may carry: the daily
//     tweet-count reports (#countkun, #ツイート数, #ツイ廃あらーと) and "my/your week on Twitter"
//     digests.
//
// What is deliberately out: ordinary clients, including third-party ones and schedulers used
// by hand (Tweetbot, TweetDeck, Buffer, Hootsuite), and interactive quiz results such as
// #shindanmaker, which a person posts themselves while awake.
var automatedRules = struct {
	sources  []string // client names, compared case-insensitively to the whole name
	hashtags []string // without '#', compared case-insensitively to whole tags
	phrases  []string // lower case, found anywhere in the text
}{
	sources: []string{
		"twittbot.net",
		"Cheap Bots, Done Quick!",
		"IFTTT",
		"Zapier.com",
		"dlvr.it",
		"twitterfeed",
		"Twitter for Advertisers",
		"Twitter Ads Composer",
		"ツイ廃あらーと",
		"ツイート数カウントくん",
	},
	hashtags: []string{
		"countkun",
		"ツイート数",
		"ツイ廃あらーと",
	},
	phrases: []string{
		"my week on twitter",
		"your week on twitter",
	},
}

// IsAutomated reports whether p was posted by software rather than by the person: its source is
// a known bot, automation or auto-report client, or its text carries the hashtag or phrase of an
// auto-generated summary (see automatedRules). Source may be Twitter's raw HTML anchor
// (`<a href="…" rel="nofollow">twittbot.net</a>`) or the plain client name.
func IsAutomated(p Post) bool {
	name := sourceName(p.Source)
	for _, s := range automatedRules.sources {
		if strings.EqualFold(name, s) {
			return true
		}
	}
	if p.Text == "" {
		return false
	}
	text := strings.ToLower(p.Text)
	for _, ph := range automatedRules.phrases {
		if strings.Contains(text, ph) {
			return true
		}
	}
	for _, tag := range hashtags(text) {
		for _, h := range automatedRules.hashtags {
			if strings.EqualFold(tag, h) {
				return true
			}
		}
	}
	return false
}

// FilterAutomated returns the posts that are not automated (IsAutomated), in their order. It
// does not modify posts and never returns nil.
func FilterAutomated(posts []Post) []Post {
	out := make([]Post, 0, len(posts))
	for _, p := range posts {
		if !IsAutomated(p) {
			out = append(out, p)
		}
	}
	return out
}

// sourceName extracts the client name from a source field: the text of an HTML anchor when it is
// one, with entities decoded, trimmed.
func sourceName(src string) string {
	src = strings.TrimSpace(src)
	if strings.HasPrefix(src, "<") {
		if i := strings.IndexByte(src, '>'); i >= 0 {
			src = src[i+1:]
			if j := strings.Index(src, "</"); j >= 0 {
				src = src[:j]
			}
		}
	}
	return strings.TrimSpace(html.UnescapeString(src))
}

// hashtags returns the tags in text (without the '#' or its full-width form '＃'). A tag runs
// over letters, digits, marks and underscores, as on Twitter.
func hashtags(text string) []string {
	var tags []string
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r != '#' && r != '＃' {
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_') {
				break
			}
			j += size
		}
		if j > i {
			tags = append(tags, text[i:j])
		}
		i = j
	}
	return tags
}
