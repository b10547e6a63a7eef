package analyzer_test

import (
	"fmt"
	"time"

	"github.com/nezame/nezame/analyzer"
)

func ExampleAnalyze() {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		panic(err)
	}
	at := func(s string) analyzer.Post {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, tokyo)
		if err != nil {
			panic(err)
		}
		return analyzer.Post{Time: t}
	}
	posts := []analyzer.Post{
		at("2026-11-02 08:00"), at("2026-11-02 10:30"), at("2026-11-02 13:00"),
		at("2026-11-02 23:00"), at("2026-11-03 00:30"), // crosses midnight
		at("2026-11-03 07:30"), at("2026-11-03 09:00"), // after a 7 h sleep
	}
	a := analyzer.Analyze(posts, tokyo, analyzer.Window{})

	fmt.Println(a.Timezone, a.From, a.To, a.PostCount)
	for _, p := range a.Periods {
		fmt.Println("awake", p.Start.Format("01-02 15:04"), "to", p.End.Format("01-02 15:04"), p.Posts, "posts")
	}
	for _, d := range a.Days {
		fmt.Println(d.Date, len(d.Awake), "awake spans")
	}
	night := at("2026-11-03 03:00").Time
	for _, s := range a.Sleeps {
		if !night.Before(s.Start) && night.Before(s.End) {
			fmt.Println("asleep at 03:00, main sleep:", s.Main)
		}
	}
	fmt.Println(a.Method, "; active days", a.Stats.ActiveDays, "; wake time known:", a.Stats.WakeTime != nil)
	// Output:
	// Asia/Tokyo 2026-11-02T00:00:00+09:00 2026-11-04T00:00:00+09:00 7
	// awake 11-02 08:00 to 11-02 13:00 3 posts
	// awake 11-02 23:00 to 11-03 00:30 2 posts
	// awake 11-03 07:30 to 11-03 09:00 2 posts
	// 2026-11-02 2 awake spans
	// 2026-11-03 2 awake spans
	// asleep at 03:00, main sleep: true
	// nezame-hsmm/8 ; active days 2 ; wake time known: false
}
