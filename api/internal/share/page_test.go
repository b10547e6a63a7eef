package share

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var writePage = flag.String("write-page", "", "also write share pages to this directory (for a look in a browser)")

// The page names the zone, shows the card's figures as text, is in the share's language, and
// keeps to narrow screens: the image scales and long words (handles, zone names) wrap.
func TestPageLanguageFiguresAndNarrowScreens(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		lang, handle string
		want         []string
	}{
		{LangEnglish, "night_owl_42", []string{`<html lang="en">`, "@night_owl_42&#39;s sleep calendar", "<dd>Asia/Tokyo</dd>",
			`content="en_US"`, "times in Asia/Tokyo"}},
		{LangJapanese, "averyveryverylonghandlethatneverbreaks_x", []string{`<html lang="ja">`, "さんの睡眠カレンダー",
			"<dd>Asia/Tokyo</dd>", `content="ja_JP"`, "時刻はAsia/Tokyo", "いつもの起床時刻"}},
	} {
		r := f.request(t, "1001")
		r.Lang, r.Owner.ScreenName = tc.lang, tc.handle
		c, _, err := f.svc.Create(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.Page(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		html := string(p.HTML)
		wake := *fixtureAnalysis(t).Stats.WakeTime
		for _, s := range append(tc.want, "<dd>"+wake+"</dd>", `name="viewport" content="width=device-width, initial-scale=1"`,
			"h1{", "overflow-wrap:anywhere", "max-width:100%", "minmax(140px,1fr)") {
			if !strings.Contains(html, s) {
				t.Errorf("%s page lacks %q", tc.lang, s)
			}
		}
		if *writePage != "" {
			if err := os.WriteFile(filepath.Join(*writePage, "page-"+tc.lang+".html"), p.HTML, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestPageEscapesRecordText(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	r := f.request(t, "1001")
	r.Owner.ScreenName = `<script>alert(1)</script>`
	c, _, err := f.svc.Create(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Page(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(p.HTML), "<script>") || !strings.Contains(string(p.HTML), "&lt;script&gt;") {
		t.Fatal("screen name was not escaped")
	}
}
