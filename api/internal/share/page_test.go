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
		html := pageOf(t, f, r)
		wake := *fixtureAnalysis(t).Stats.WakeTime
		for _, s := range append(tc.want, "<dd>"+wake+"</dd>", `name="viewport" content="width=device-width, initial-scale=1"`,
			"h1{", "overflow-wrap:anywhere", "max-width:100%", "minmax(140px,1fr)") {
			if !strings.Contains(html, s) {
				t.Errorf("%s page lacks %q", tc.lang, s)
			}
		}
		if *writePage != "" {
			if err := os.WriteFile(filepath.Join(*writePage, "page-"+tc.lang+".html"), []byte(html), 0o644); err != nil {
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

// A change of time zone is said in a sentence beside the figures, in the share's language, with
// the date it starts from; a share without one says nothing of zones.
func TestPageSaysWhenTheTimeZoneChanged(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	for _, tc := range []struct {
		lang string
		want string
	}{
		{LangEnglish, "Their time zone changed around Mon, Nov 9: from then on, their days run 8 h later on Asia/Tokyo time."},
		{LangJapanese, "11月9日（月）ごろタイムゾーンが変わりました。それ以降、Asia/Tokyoの時刻で見ると一日が8時間遅くなっています。"},
	} {
		r := f.request(t, "1002")
		r.Lang, r.Analysis = tc.lang, travellerAnalysis(t)
		html := pageOf(t, f, r)
		if !strings.Contains(html, "</dl>\n<p>"+tc.want+"</p>") {
			t.Errorf("%s page lacks, after the figures, %q", tc.lang, tc.want)
		}
		if *writePage != "" {
			if err := os.WriteFile(filepath.Join(*writePage, "page-traveller-"+tc.lang+".html"), []byte(html), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if html := pageOf(t, f, f.request(t, "1001")); strings.Contains(html, "time zone changed") || strings.Contains(html, "</dl>\n<p>") {
		t.Error("a share without a change of time zone mentions one")
	}
}

func TestZoneNotes(t *testing.T) {
	t.Parallel()
	rec := Record{Timezone: "Europe/Berlin", Days: []RecordDay{
		{Date: "2026-12-30", Zone: []int{-7}}, {Date: "2026-12-31"}, {Date: "2027-01-01", Zone: []int{7, 2}},
	}}
	got := zoneNotes(&englishPage, rec)
	want := []string{
		"Their time zone changed around Wed, Dec 30, 2026: from then on, their days run 7 h earlier on Europe/Berlin time.",
		"Their time zone changed around Fri, Jan 1, 2027: from then on, their days run 7 h later on Europe/Berlin time.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ja := zoneNotes(&japanesePage, rec); len(ja) != 2 || !strings.HasPrefix(ja[0], "2026年12月30日（水）ごろ") || !strings.Contains(ja[0], "7時間早く") {
		t.Errorf("Japanese notes = %q", ja)
	}
	// A date that cannot be named is left out, without a panic.
	if bad := zoneNotes(&englishPage, Record{Days: []RecordDay{{Date: "", Zone: []int{8}}}}); len(bad) != 0 {
		t.Errorf("notes of an unreadable date = %q", bad)
	}
}

// pageOf creates the share r asks for and returns its page.
func pageOf(t *testing.T, f *fixture, r Request) string {
	t.Helper()
	ctx := context.Background()
	c, _, err := f.svc.Create(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Page(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return string(p.HTML)
}
