package simulate

// Params are the population parameters of one benchmark set: how people of each kind sleep and
// post. Tuned is the set the model was developed against; HeldOut changes every behavioural
// parameter (latencies, posting rates, chronotypes, burstiness, nap habits, shift rotation) and
// the seed, and is never tuned on: a model that only does well on Tuned has fitted the simulator,
// not people.
//
// Where a published figure exists the value is taken from it and the source is named; the rest
// are assumptions, said as such. Clock times are minutes after the local midnight that starts
// the evening's date (1425 = 23:45, 1500 = 01:00 the next morning); durations are minutes.
type Params struct {
	Name string
	Seed uint64

	// Main sleep of a regular sleeper on work nights.
	//
	// Walch, Cochran and Forger (2016, Sci Adv 2:e1501705; ENTRAIN app, users in 20 countries)
	// found country-average sleep durations from about 7 h 24 min (Japan, Singapore) to 8 h
	// 12 min (the Netherlands), bedtimes varying between countries far more than wake times,
	// and later bedtimes going with shorter sleep. The means below sit inside those ranges.
	// The night-to-night and between-person spreads are assumptions of the size actigraphy
	// studies commonly report (tens of minutes).
	Onset      float64 // mean weekday onset
	PersonSD   float64 // between-person SD of a person's mean onset
	OnsetSD    float64 // night-to-night SD of onset
	Duration   float64 // mean weekday sleep length
	DurationSD float64 // night-to-night SD of length

	// Free nights (the next day is a Saturday or Sunday) start later and last longer: social
	// jetlag. Roenneberg et al. (2012, Curr Biol 22:939; about 65,000 MCTQ respondents) report
	// that about two thirds of people have at least an hour of social jetlag; Scheffler and Kyba
	// (2016, ICWSM; the onset of Twitter activity of over 200,000 users) measured weekday
	// wake-ups 50 min to over 2 h earlier than on Sundays, depending on the season.
	FreeDelay float64 // onset delay on free nights
	FreeExtra float64 // extra sleep on free nights

	OwlDelay    float64 // a night owl's onset later than a regular sleeper's (assumed)
	IrregularSD float64 // onset SD of an irregular sleeper (assumed)

	// Naps. Pew Research Center (2009, "Nap Time", 1,488 US adults): 34% napped in the past
	// 24 h. A "napper" is a habitual napper, so naps on NapProb of days; nap length and time of
	// day are assumptions (early-afternoon dip, tens of minutes).
	NapProb   float64
	NapMedian float64 // median nap length
	NapClock  float64 // mean nap start (minutes after midnight of the same date)

	AllNighterProb float64 // per night, for the all-nighter kind (assumed)

	// A brief night-time awakening (assumed: a few minutes, now and then) during which the
	// person may post.
	AwakeningProb float64 // per night
	AwakeningPost float64 // probability of posting during one

	// Posting latency (assumed; no published figure for posting specifically): no post for a
	// log-normal time after waking, and none for a log-normal time before falling asleep.
	WakeLatency  float64 // median minutes after waking
	BedLatency   float64 // median minutes before sleep
	LatencySigma float64 // log-scale sigma of both

	// Posting volume (posts a day while awake; drawn log-uniformly per person).
	PostsPerDay  [2]float64
	SparsePerDay [2]float64
	HeavyPerDay  [2]float64

	// Posting is bursty: sessions of several posts a few minutes apart, and heavy-tailed waits
	// between sessions. Barabási (2005, Nature 435:207) showed that human activity (e-mail,
	// letters, web browsing) has heavy-tailed inter-event times, tail exponents near 1 to 1.5,
	// unlike a Poisson process. Waits between sessions are Lomax (Pareto II) with tail index
	// Burstiness: an exponential wait whose rate is Gamma-distributed from session to session.
	SessionMean float64 // mean posts per session
	BurstGap    float64 // mean minutes between posts inside a session
	Burstiness  float64 // Lomax tail index of waits between sessions

	// Diurnal rhythm: Golder and Macy (2011, Science 333:1878; 509 million tweets, 2.4 million
	// users in 84 countries) show tweeting follows the sleep-wake cycle, with the morning rise
	// about 2 h later at weekends. The posting rate here rises linearly from waking to Evening
	// times the morning rate 15 h later (the shape is assumed).
	Evening float64

	WorkQuiet [2]float64 // range of the posting multiplier at work (per person; assumed)

	AbsenceProb float64    // probability that a person has one long absence (assumed)
	AbsenceLen  [2]float64 // its length, hours

	// Rotating shift work: ShiftRun day shifts, two days off, ShiftRun night shifts, two days
	// off. Åkerstedt (2003, Occup Med 53:89) reviews that day sleep after a night shift is 1-4 h
	// shorter than night sleep.
	ShiftRun       int
	DayShiftOnset  float64 // onset before a day shift
	DayShiftWake   float64 // alarm (minutes after midnight of the next date)
	NightSleep     float64 // onset of day sleep after a night shift (minutes after midnight)
	NightSleepLen  float64 // its length
	DayShiftStart  float64 // work hours of a day shift (minutes after midnight)
	NightShiftFrom float64 // start of a night shift (minutes after midnight)

	TravelHours [2]float64 // zone change of a traveller, hours (east or west)

	BotTimes  [2]int  // scheduled posts a day (a posting client at fixed clock minutes)
	BotCaught float64 // share of schedules posted through a client FilterAutomated knows
}

// Tuned is the parameter set the model was developed against.
func Tuned() Params {
	return Params{
		Name: "tuned", Seed: 20260501,
		Onset: 1420, PersonSD: 40, OnsetSD: 35, Duration: 450, DurationSD: 40,
		FreeDelay: 60, FreeExtra: 45,
		OwlDelay: 150, IrregularSD: 120,
		NapProb: 0.6, NapMedian: 40, NapClock: 14*60 + 30,
		AllNighterProb: 0.12,
		AwakeningProb:  0.25, AwakeningPost: 0.5,
		WakeLatency: 25, BedLatency: 15, LatencySigma: 0.8,
		PostsPerDay: [2]float64{8, 40}, SparsePerDay: [2]float64{2, 5}, HeavyPerDay: [2]float64{150, 300},
		SessionMean: 2.5, BurstGap: 2.5, Burstiness: 3,
		Evening:     2,
		WorkQuiet:   [2]float64{0.05, 0.6},
		AbsenceProb: 0.3, AbsenceLen: [2]float64{26, 56},
		ShiftRun: 5, DayShiftOnset: 22*60 + 15, DayShiftWake: 5*60 + 45, NightSleep: 7*60 + 30, NightSleepLen: 360,
		DayShiftStart: 7 * 60, NightShiftFrom: 22 * 60,
		TravelHours: [2]float64{6, 9},
		BotTimes:    [2]int{2, 4}, BotCaught: 0.5,
	}
}

// HeldOut differs from Tuned in every behavioural parameter and in the seed. The model is
// never tuned on it; it is reported beside Tuned to show whether the model fits people or the
// simulator.
func HeldOut() Params {
	return Params{
		Name: "held-out", Seed: 77031,
		Onset: 1460, PersonSD: 55, OnsetSD: 50, Duration: 420, DurationSD: 55,
		FreeDelay: 90, FreeExtra: 60,
		OwlDelay: 190, IrregularSD: 150,
		NapProb: 0.45, NapMedian: 65, NapClock: 15 * 60,
		AllNighterProb: 0.08,
		AwakeningProb:  0.35, AwakeningPost: 0.65,
		WakeLatency: 50, BedLatency: 30, LatencySigma: 1.0,
		PostsPerDay: [2]float64{5, 25}, SparsePerDay: [2]float64{2, 4}, HeavyPerDay: [2]float64{170, 240},
		SessionMean: 3.5, BurstGap: 4, Burstiness: 2.2,
		Evening:     3,
		WorkQuiet:   [2]float64{0.02, 0.4},
		AbsenceProb: 0.4, AbsenceLen: [2]float64{24, 60},
		ShiftRun: 4, DayShiftOnset: 21*60 + 45, DayShiftWake: 5 * 60, NightSleep: 8 * 60, NightSleepLen: 300,
		DayShiftStart: 6 * 60, NightShiftFrom: 21*60 + 30,
		TravelHours: [2]float64{6, 9},
		BotTimes:    [2]int{1, 3}, BotCaught: 0.3,
	}
}

// Dense is a second held-out set, never tuned on either: people who post more and closer to
// sleep than in the other two sets (the phone goes to bed with them and is picked up soon after
// waking), nap briefly and early, and rotate shifts quickly (three days, two off, three nights,
// two off). Every behavioural parameter and the seed differ from Tuned and HeldOut.
func Dense() Params {
	return Params{
		Name: "dense", Seed: 40913,
		Onset: 1400, PersonSD: 45, OnsetSD: 30, Duration: 440, DurationSD: 45,
		FreeDelay: 75, FreeExtra: 50,
		OwlDelay: 170, IrregularSD: 100,
		NapProb: 0.5, NapMedian: 30, NapClock: 13*60 + 45,
		AllNighterProb: 0.1,
		AwakeningProb:  0.3, AwakeningPost: 0.4,
		WakeLatency: 15, BedLatency: 8, LatencySigma: 0.7,
		PostsPerDay: [2]float64{12, 60}, SparsePerDay: [2]float64{2, 5}, HeavyPerDay: [2]float64{120, 400},
		SessionMean: 3, BurstGap: 2, Burstiness: 2.6,
		Evening:     2.5,
		WorkQuiet:   [2]float64{0.1, 0.8},
		AbsenceProb: 0.25, AbsenceLen: [2]float64{30, 50},
		ShiftRun: 3, DayShiftOnset: 22*60 + 30, DayShiftWake: 6 * 60, NightSleep: 7 * 60, NightSleepLen: 390,
		DayShiftStart: 7*60 + 30, NightShiftFrom: 22*60 + 30,
		TravelHours: [2]float64{6, 9},
		BotTimes:    [2]int{2, 5}, BotCaught: 0.6,
	}
}
