package analyzer

import (
	"slices"
	"testing"
	"time"
)

func TestIsAutomated(t *testing.T) {
	t.Parallel()
	anchor := func(name string) string {
		return `<a href="https://example.invalid/app" rel="nofollow">` + name + `</a>`
	}
	tests := []struct {
		name string
		post Post
		want bool
	}{
		{"twittbot.net anchor", Post{Source: anchor("twittbot.net")}, true},
		{"twittbot.net plain", Post{Source: "twittbot.net"}, true},
		{"IFTTT any case", Post{Source: anchor("ifttt")}, true},
		{"dlvr.it", Post{Source: anchor("dlvr.it")}, true},
		{"ads composer", Post{Source: anchor("Twitter for Advertisers")}, true},
		{"entity in anchor", Post{Source: anchor("twittbot&#46;net")}, true},
		{"bot host with punctuation", Post{Source: anchor("Cheap Bots, Done Quick!")}, true},
		{"auto-report service", Post{Source: anchor("ツイ廃あらーと")}, true},
		{"web client", Post{Source: anchor("Twitter Web App"), Text: "おはよう"}, false},
		{"Tweetbot is a person's client", Post{Source: anchor("Tweetbot for iOS")}, false},
		{"Buffer is a person's scheduler", Post{Source: anchor("Buffer")}, false},
		{"name only as substring", Post{Source: anchor("not IFTTT really")}, false},
		{"no source no text", Post{}, false},
		{"countkun hashtag", Post{Source: anchor("Twitter for iPhone"), Text: "昨日のツイート数：42 #countkun"}, true},
		{"full-width hash", Post{Text: "今日のツイート数は10でした ＃ツイート数"}, true},
		{"hashtag case", Post{Text: "stats #CountKun"}, true},
		{"longer tag is another tag", Post{Text: "#countkunfan club"}, false},
		{"week summary phrase", Post{Text: "My week on Twitter 🎉: 3 Mentions, 120 Mention Reach"}, true},
		{"your week phrase", Post{Text: "Your Week on Twitter: 5 new followers"}, true},
		{"shindanmaker is typed by a person", Post{Text: "今日の運勢は… #shindanmaker"}, false},
		{"mention of a hashtag word without #", Post{Text: "countkun is a bot"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsAutomated(tc.post); got != tc.want {
				t.Errorf("IsAutomated(%+v) = %v, want %v", tc.post, got, tc.want)
			}
		})
	}
}

func TestFilterAutomated(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	in := []Post{
		{Time: base, Source: "Twitter for Android", Text: "a"},
		{Time: base.Add(time.Hour), Source: "twittbot.net", Text: "bot"},
		{Time: base.Add(2 * time.Hour), Text: "#countkun 12"},
		{Time: base.Add(3 * time.Hour), Source: "Twitter Web App", Text: "b"},
	}
	orig := slices.Clone(in)
	got := FilterAutomated(in)
	if len(got) != 2 || got[0].Text != "a" || got[1].Text != "b" {
		t.Errorf("FilterAutomated = %+v", got)
	}
	if !slices.Equal(in, orig) {
		t.Errorf("input modified: %+v", in)
	}
	if empty := FilterAutomated(nil); empty == nil || len(empty) != 0 {
		t.Errorf("FilterAutomated(nil) = %#v, want empty non-nil", empty)
	}
}

func TestHashtags(t *testing.T) {
	t.Parallel()
	got := hashtags("a #one, #two_2 ＃三 # #")
	if want := []string{"one", "two_2", "三"}; !slices.Equal(got, want) {
		t.Errorf("hashtags = %q, want %q", got, want)
	}
}
