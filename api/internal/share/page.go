package share

import (
	"bytes"
	"context"
	"html/template"
	"math"
	"strconv"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
)

// Page is a share's HTML page as served.
type Page struct {
	HTML   []byte
	MaxAge time.Duration // short (its owner may delete it), never past its expiry
}

// Page returns the HTML page of share id: Open Graph and Twitter card tags pointing at the card,
// and the card's figures as text, in the share's language.
func (s *Service) Page(ctx context.Context, id string) (Page, error) {
	_, rec, err := s.load(ctx, id)
	if err != nil {
		return Page{}, err
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, s.pageData(rec)); err != nil {
		return Page{}, apperr.Internal(opErr("share page", err))
	}
	return Page{HTML: buf.Bytes(), MaxAge: s.maxAge(rec, pageAge)}, nil
}

type pageData struct {
	T                                     *pageTexts
	Title, Heading, Description, ImageAlt string
	PageURL, ImageURL, AppURL, Locale     string
	Zone, Source                          string
	Stats                                 []statRow
	ZoneNotes                             []string // one sentence per change of time zone
}

type statRow struct{ Label, Value string }

func (s *Service) pageData(rec Record) pageData {
	t := pageTextsFor(rec.Lang)
	d := pageData{
		T: t, PageURL: s.pageURL(rec.ID), ImageURL: s.imageURL(rec.ID), AppURL: s.appURL(),
		Zone: rec.Timezone, Source: t.SourceTwitter, Locale: "en_US",
		Title: t.AnonTitle, Heading: t.AnonTitle, ImageAlt: t.AnonImageAlt,
	}
	if t.Lang == LangJapanese {
		d.Locale = "ja_JP"
	}
	if rec.Source == SourceArchive {
		d.Source = t.SourceArchive
	}
	if rec.ScreenName != "" {
		d.Title, d.Heading, d.ImageAlt = t.PageTitle(rec.ScreenName), t.PageHeading(rec.ScreenName), t.ImageAlt(rec.ScreenName)
	}
	st := rec.Stats
	f := figuresOf(rec)
	d.Description = t.Describe(description{Days: len(rec.Days), Zone: rec.Timezone, Wake: f.Wake, Bed: f.Bed,
		Sleep: f.Sleep, SRI: f.SRI, Archive: rec.Source == SourceArchive})
	for _, r := range []statRow{
		{t.WakeLabel, f.Wake}, {t.BedLabel, f.Bed}, {t.SleepLabel, prefixed("", f.Sleep, t.HoursUnit)}, {t.SRILabel, f.SRI},
	} {
		if r.Value == "" {
			r.Value = "–"
		}
		d.Stats = append(d.Stats, r)
	}
	if st.Nights > 0 {
		d.Stats = append(d.Stats, statRow{t.NightsLabel, strconv.Itoa(st.Nights)})
	}
	d.ZoneNotes = zoneNotes(t, rec)
	return d
}

// zoneNotes says, for each change of time zone on the card, from which date the person's days
// run how many hours later or earlier, so that nights drawn hours apart are not read as chaos.
func zoneNotes(t *pageTexts, rec Record) []string {
	changes := zoneChangesOf(rec)
	if len(changes) == 0 {
		return nil
	}
	first, err1 := time.Parse(dateLayout, rec.Days[0].Date)
	last, err2 := time.Parse(dateLayout, rec.Days[len(rec.Days)-1].Date)
	withYear := err1 != nil || err2 != nil || first.Year() != last.Year()
	notes := make([]string, 0, len(changes))
	for _, c := range changes {
		date, err := time.Parse(dateLayout, c.Date)
		if err != nil {
			continue // a date that does not parse cannot be named
		}
		notes = append(notes, t.ZoneChange(zoneNote{Date: date, WithYear: withYear, Hours: c.Hours, Zone: rec.Timezone}))
	}
	return notes
}

// figures are the card's headline numbers as text, formatted as the calendar formats them
// (one decimal, half up), "" when unknown.
type figures struct{ Wake, Bed, Sleep, SRI string }

func figuresOf(rec Record) figures {
	st := rec.Stats
	var f figures
	if st.WakeTime != nil {
		f.Wake = *st.WakeTime
	}
	if st.BedTime != nil {
		f.Bed = *st.BedTime
	}
	f.Sleep = oneDecimal(st.SleepHours)
	f.SRI = oneDecimal(st.SRI)
	return f
}

func oneDecimal(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(math.Floor(*v*10+0.5)/10, 'f', 1, 64)
}

// ErrorPage is the HTML shown for a share that cannot be: gone, expired, or unavailable. The
// status comes from the server's error table; the page says the same thing in both languages,
// since the share's own language is unknown when it is gone.
func (s *Service) ErrorPage(err error) []byte {
	en, ja := englishPage, japanesePage
	d := struct{ En, Ja, EnBody, JaBody, EnLink, JaLink, AppURL string }{
		En: en.Unavailable, Ja: ja.Unavailable, EnLink: en.OwnCalendar, JaLink: ja.OwnCalendar, AppURL: s.appURL()}
	if e, ok := apperr.As(err); ok {
		switch e.Code {
		case apperr.CodeShareNotFound:
			d.En, d.Ja, d.EnBody, d.JaBody = en.NotFoundTitle, ja.NotFoundTitle, en.NotFoundBody, ja.NotFoundBody
		case apperr.CodeShareExpired:
			d.En, d.Ja, d.EnBody, d.JaBody = en.ExpiredTitle, ja.ExpiredTitle, en.ExpiredBody, ja.ExpiredBody
		}
	}
	var buf bytes.Buffer
	_ = errorTmpl.Execute(&buf, d) // a fixed template over strings cannot fail
	return buf.Bytes()
}

// pageCSS keeps the page inside a 360 px screen: the image scales, long handles and zone names
// wrap anywhere rather than push the page sideways.
const pageCSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#0d121f;color:#f4f6fb;font:18px/1.5 system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;overflow-wrap:break-word}
main{max-width:1200px;margin:0 auto;padding:24px 16px;text-align:center}
h1{font-size:clamp(22px,6vw,40px);line-height:1.25;margin:8px 0 16px;overflow-wrap:anywhere;word-break:break-word}
img{display:block;max-width:100%;width:100%;height:auto;border-radius:12px}
dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:24px 0;text-align:left}
dl div{background:#161d30;border-radius:10px;padding:10px 14px;min-width:0}
dt{color:#8b95b0;font-size:14px}
dd{margin:0;font-size:20px;font-weight:700}
p{color:#8b95b0}
a.cta{display:inline-block;margin:24px 0;padding:12px 28px;border-radius:999px;background:#ffc857;color:#0d121f;font-weight:700;text-decoration:none}
a{color:#ffc857}`

var pageTmpl = template.Must(template.New("share").Parse(`<!doctype html>
<html lang="{{.T.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<meta name="description" content="{{.Description}}">
<link rel="canonical" href="{{.PageURL}}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="nezame">
<meta property="og:locale" content="{{.Locale}}">
<meta property="og:title" content="{{.Title}}">
<meta property="og:description" content="{{.Description}}">
<meta property="og:url" content="{{.PageURL}}">
<meta property="og:image" content="{{.ImageURL}}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:image:alt" content="{{.ImageAlt}}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{.Title}}">
<meta name="twitter:description" content="{{.Description}}">
<meta name="twitter:image" content="{{.ImageURL}}">
<style>` + pageCSS + `</style>
</head>
<body>
<main>
<h1>{{.Heading}}</h1>
<img src="{{.ImageURL}}" width="1200" height="630" alt="{{.ImageAlt}}">
<p>{{.Description}}</p>
<dl aria-label="{{.T.StatsHeading}}">
<div><dt>{{.T.ZoneLabel}}</dt><dd>{{.Zone}}</dd></div>
{{range .Stats}}<div><dt>{{.Label}}</dt><dd>{{.Value}}</dd></div>
{{end}}<div><dt>{{.T.SourceLabel}}</dt><dd>{{.Source}}</dd></div>
</dl>
{{range .ZoneNotes}}<p>{{.}}</p>
{{end}}<a class="cta" href="{{.AppURL}}">{{.T.CTA}}</a>
</main>
</body>
</html>
`))

var errorTmpl = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.En}} - nezame</title><meta name="robots" content="noindex">
<style>` + pageCSS + `
body{min-height:100vh;display:grid;place-items:center}</style>
</head><body><main><h1>{{.En}}</h1>{{if .EnBody}}<p>{{.EnBody}}</p>{{end}}
<h1 lang="ja">{{.Ja}}</h1>{{if .JaBody}}<p lang="ja">{{.JaBody}}</p>{{end}}
<p><a href="{{.AppURL}}">{{.EnLink}}</a> · <a lang="ja" href="{{.AppURL}}">{{.JaLink}}</a></p></main></body></html>
`))
