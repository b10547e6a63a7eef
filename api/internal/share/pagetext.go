package share

import (
	"fmt"
	"time"
)

// pageTexts are the fixed strings of the share page in one language (HTML: the browser's fonts
// draw them).
type pageTexts struct {
	Lang                                                               string
	PageTitle, PageHeading, ImageAlt                                   func(handle string) string
	AnonTitle, AnonImageAlt, CTA, HoursUnit                            string
	Describe                                                           func(d description) string
	ZoneChange                                                         func(z zoneNote) string
	StatsHeading, ZoneLabel, SourceLabel, SourceTwitter, SourceArchive string
	WakeLabel, BedLabel, SleepLabel, SRILabel, NightsLabel             string
	NotFoundTitle, NotFoundBody, ExpiredTitle, ExpiredBody             string
	Unavailable, OwnCalendar                                           string
}

// description is what the page's description sentence says.
type description struct {
	Days                  int
	Zone                  string
	Wake, Bed, Sleep, SRI string // "" when unknown
	Archive               bool
}

// zoneNote is what the page says of one change of time zone: the date from which the person's
// days run Hours later (earlier when negative) on Zone's clock.
type zoneNote struct {
	Date     time.Time
	WithYear bool // the share spans two years
	Hours    int
	Zone     string
}

var englishPage = pageTexts{
	Lang:         LangEnglish,
	PageTitle:    func(h string) string { return "@" + h + "'s sleep calendar on nezame" },
	PageHeading:  func(h string) string { return "@" + h + "'s sleep calendar" },
	ImageAlt:     func(h string) string { return "Sleep calendar of @" + h },
	AnonTitle:    "A sleep calendar on nezame",
	AnonImageAlt: "Sleep calendar from a Twitter archive",
	CTA:          "See your own", HoursUnit: " h",
	Describe: func(d description) string {
		s := fmt.Sprintf("%s of posts, times in %s", plural(d.Days, "day", "days"), d.Zone)
		if d.Archive {
			s = fmt.Sprintf("%s from a Twitter archive, times in %s", plural(d.Days, "day", "days"), d.Zone)
		}
		return joinParts(s, ": ", ", ", []string{
			prefixed("wakes up around ", d.Wake, ""), prefixed("goes to bed around ", d.Bed, ""),
			prefixed("sleeps ", d.Sleep, " h"), prefixed("sleep regularity ", d.SRI, ""),
		}) + ". When were you awake?"
	},
	ZoneChange: func(z zoneNote) string {
		date := z.Date.Format("Mon, Jan 2")
		if z.WithYear {
			date = z.Date.Format("Mon, Jan 2, 2006")
		}
		way := "later"
		if z.Hours < 0 {
			way = "earlier"
		}
		return fmt.Sprintf("Their time zone changed around %s: from then on, their days run %d h %s on %s time.", date, abs(z.Hours), way, z.Zone)
	},
	StatsHeading: "What the calendar says", ZoneLabel: "Time zone", SourceLabel: "From",
	SourceTwitter: "posts on Twitter", SourceArchive: "a Twitter archive",
	WakeLabel: "Typical wake time", BedLabel: "Typical bedtime", SleepLabel: "Sleep length",
	SRILabel: "Regularity (SRI)", NightsLabel: "Nights with data",
	NotFoundTitle: "This share does not exist", NotFoundBody: "It may have been deleted by its owner.",
	ExpiredTitle: "This share has expired", ExpiredBody: "Its owner shared it for a limited time.",
	Unavailable: "This share cannot be shown right now. Please try again shortly.",
	OwnCalendar: "See your own sleep calendar",
}

var japanesePage = pageTexts{
	Lang:         LangJapanese,
	PageTitle:    func(h string) string { return "@" + h + " さんの睡眠カレンダー（nezame）" },
	PageHeading:  func(h string) string { return "@" + h + " さんの睡眠カレンダー" },
	ImageAlt:     func(h string) string { return "@" + h + " さんの睡眠カレンダー" },
	AnonTitle:    "睡眠カレンダー（nezame）",
	AnonImageAlt: "Twitterアーカイブから描いた睡眠カレンダー",
	CTA:          "あなたのも見てみる", HoursUnit: "時間",
	Describe: func(d description) string {
		s := fmt.Sprintf("%d日間の投稿から（時刻は%s）", d.Days, d.Zone)
		if d.Archive {
			s = fmt.Sprintf("Twitterアーカイブの%d日間から（時刻は%s）", d.Days, d.Zone)
		}
		return joinParts(s, "：", "、", []string{
			prefixed("起床はだいたい", d.Wake, ""), prefixed("就寝はだいたい", d.Bed, ""),
			prefixed("睡眠", d.Sleep, "時間"), prefixed("規則性", d.SRI, ""),
		}) + "。あなたはいつ起きていた？"
	},
	ZoneChange: func(z zoneNote) string {
		date := fmt.Sprintf("%d月%d日（%s）", z.Date.Month(), z.Date.Day(), japaneseWeekdays[z.Date.Weekday()])
		if z.WithYear {
			date = fmt.Sprintf("%d年", z.Date.Year()) + date
		}
		way := "遅く"
		if z.Hours < 0 {
			way = "早く"
		}
		return fmt.Sprintf("%sごろタイムゾーンが変わりました。それ以降、%sの時刻で見ると一日が%d時間%sなっています。", date, z.Zone, abs(z.Hours), way)
	},
	StatsHeading: "カレンダーからわかること", ZoneLabel: "タイムゾーン", SourceLabel: "もと",
	SourceTwitter: "Twitterの投稿", SourceArchive: "Twitterアーカイブ",
	WakeLabel: "いつもの起床時刻", BedLabel: "いつもの就寝時刻", SleepLabel: "睡眠時間",
	SRILabel: "規則性（SRI）", NightsLabel: "データのある夜",
	NotFoundTitle: "このシェアはありません", NotFoundBody: "持ち主が削除したのかもしれません。",
	ExpiredTitle: "このシェアは期限切れです", ExpiredBody: "持ち主が期間を決めて公開していました。",
	Unavailable: "このシェアはいま表示できません。少し待ってからもう一度お試しください。",
	OwnCalendar: "自分の睡眠カレンダーを見る",
}

var japaneseWeekdays = [7]string{"日", "月", "火", "水", "木", "金", "土"}

func pageTextsFor(lang string) *pageTexts {
	if lang == LangJapanese {
		return &japanesePage
	}
	return &englishPage
}

// prefixed is pre+v+post, or "" when v is unknown.
func prefixed(pre, v, post string) string {
	if v == "" {
		return ""
	}
	return pre + v + post
}

// joinParts appends the non-empty parts to head: the first after lead, the others after sep.
func joinParts(head, lead, sep string, parts []string) string {
	n := 0
	for _, p := range parts {
		if p == "" {
			continue
		}
		if n == 0 {
			head += lead
		} else {
			head += sep
		}
		head += p
		n++
	}
	return head
}
