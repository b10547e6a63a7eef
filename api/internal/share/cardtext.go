package share

import (
	"fmt"
	"strconv"
	"time"
)

// Languages a share can be made in.
const (
	LangEnglish  = "en"
	LangJapanese = "ja"
)

// ValidLang reports whether lang is one the card and page are written in.
func ValidLang(lang string) bool { return lang == LangEnglish || lang == LangJapanese }

// cardTexts are the fixed strings drawn on the card in one language. The Japanese card font is a
// subset holding only the glyphs of this file's strings (scripts/subset-card-font.py reads it):
// a new Japanese string here needs the font regenerated, which TestCardFontCoversTexts enforces.
type cardTexts struct {
	Lang string

	SleepCalendar, Tagline, SeeYours, FromArchive, NoPosts string
	Wake, Bed, Sleep, Regularity, HoursUnit                string
	LegendPosting, LegendAsleep, LegendNoData, LegendQuiet string
	LegendWeekend                                          string
	Days, Posts, AllNighters, Nights, Patterns             func(n int) string
	ZoneChanged                                            func(hours int) string // one change of time zone
	ZoneChanges                                            func(n int) string     // several changes
	TimesIn                                                func(zone string) string
	DateShort                                              func(t time.Time) string
	DateSpan                                               func(a, b time.Time) string
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

var englishCard = cardTexts{
	Lang:          LangEnglish,
	SleepCalendar: "Sleep calendar", Tagline: "when were you awake?", SeeYours: "See yours at",
	FromArchive: "from a Twitter archive", NoPosts: "no posts in this period",
	Wake: "WAKE UP", Bed: "BEDTIME", Sleep: "SLEEP", Regularity: "REGULARITY", HoursUnit: "h",
	LegendPosting: "posting", LegendAsleep: "asleep (darker = surer)", LegendNoData: "no data",
	LegendQuiet: "asleep or quiet", LegendWeekend: "weekend",
	Days:        func(n int) string { return plural(n, "day", "days") },
	Posts:       func(n int) string { return plural(n, "post", "posts") },
	AllNighters: func(n int) string { return plural(n, "all-nighter", "all-nighters") },
	Nights:      func(n int) string { return plural(n, "night", "nights") },
	Patterns:    func(n int) string { return fmt.Sprintf("%d sleep patterns", n) },
	ZoneChanged: func(h int) string { return "time zone changed " + zoneMark(h) },
	ZoneChanges: func(n int) string { return fmt.Sprintf("time zone changed %d times", n) },
	TimesIn:     func(zone string) string { return "times in " + zone },
	DateShort:   func(t time.Time) string { return t.Format("Jan 2") },
	DateSpan: func(a, b time.Time) string {
		if a.Year() != b.Year() {
			return a.Format("Jan 2, 2006") + " - " + b.Format("Jan 2, 2006")
		}
		return a.Format("Jan 2") + " - " + b.Format("Jan 2, 2006")
	},
}

var japaneseCard = cardTexts{
	Lang:          LangJapanese,
	SleepCalendar: "睡眠カレンダー", Tagline: "いつ起きていた？", SeeYours: "あなたのも見てみよう",
	FromArchive: "Twitterアーカイブから", NoPosts: "この期間の投稿はありません",
	Wake: "起床", Bed: "就寝", Sleep: "睡眠", Regularity: "規則性", HoursUnit: "時間",
	LegendPosting: "投稿あり", LegendAsleep: "睡眠（濃いほど確か）", LegendNoData: "データなし",
	LegendQuiet: "睡眠または投稿なし", LegendWeekend: "週末",
	Days:        func(n int) string { return fmt.Sprintf("%d日間", n) },
	Posts:       func(n int) string { return fmt.Sprintf("投稿%d件", n) },
	AllNighters: func(n int) string { return fmt.Sprintf("徹夜%d回", n) },
	Nights:      func(n int) string { return fmt.Sprintf("%d夜", n) },
	Patterns:    func(n int) string { return fmt.Sprintf("睡眠パターン%d種類", n) },
	ZoneChanged: func(h int) string { return "時差" + zoneSign(h) + strconv.Itoa(abs(h)) + "時間" },
	ZoneChanges: func(n int) string { return fmt.Sprintf("時差の変化%d回", n) },
	TimesIn:     func(zone string) string { return "時刻は" + zone },
	DateShort:   func(t time.Time) string { return fmt.Sprintf("%d月%d日", t.Month(), t.Day()) },
	DateSpan: func(a, b time.Time) string {
		if a.Year() != b.Year() {
			return fmt.Sprintf("%d年%d月%d日〜%d年%d月%d日", a.Year(), a.Month(), a.Day(), b.Year(), b.Month(), b.Day())
		}
		return fmt.Sprintf("%d年%d月%d日〜%d月%d日", a.Year(), a.Month(), a.Day(), b.Month(), b.Day())
	},
}

// zoneMark is how the card and the calendar mark a change of time zone by h hours: "+8h",
// "−7h" (a minus sign, not a hyphen).
func zoneMark(h int) string { return zoneSign(h) + strconv.Itoa(abs(h)) + "h" }

func zoneSign(h int) string {
	if h < 0 {
		return "−"
	}
	return "+"
}

func abs(n int) int { return max(n, -n) }

func cardTextsFor(lang string) *cardTexts {
	if lang == LangJapanese {
		return &japaneseCard
	}
	return &englishCard
}
