package loadtest

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// RunConfig is everything a run was configured with; it is copied into the report.
type RunConfig struct {
	Bin         string `json:"bin"`
	Target      string `json:"target,omitempty"`
	EmulatorURL string `json:"emulatorUrl,omitempty"`
	RedisURL    string `json:"redisUrl,omitempty"`
	Instances   int    `json:"instances"`
	Duration    string `json:"duration"`
	MaxTime     string `json:"maxTime"`
	Ramp        string `json:"ramp"`
	MaxUsers    int    `json:"maxUsers"`
	MaxInFlight int    `json:"maxInFlight"`
	MaxWait     string `json:"maxWait"`
	AppCap      int    `json:"appCap"`
	CacheTTL    string `json:"cacheTtl"`
	QueueCap    int    `json:"queueCapacity"`
	WindowDays  int    `json:"windowDays"`
	Seed        int64  `json:"seed"`
	UserOffset  int    `json:"userOffset"`
	Personas    string `json:"personas"`
	Out         string `json:"out"`
	GoMemLimit  string `json:"goMemLimit,omitempty"`
	GOGC        string `json:"gogc,omitempty"`
	Concurrency int    `json:"concurrency"`

	FaultRedisRestartAt   string  `json:"faultRedisRestartAt,omitempty"`
	FaultRedisDown        string  `json:"faultRedisDown,omitempty"`
	FaultRedisKeepData    bool    `json:"faultRedisKeepData"`
	FaultKillInstanceAt   string  `json:"faultKillInstanceAt,omitempty"`
	FaultKillInstanceDown string  `json:"faultKillInstanceDown,omitempty"`
	FaultKillSignal       string  `json:"faultKillSignal,omitempty"`
	FaultEmulatorAt       string  `json:"faultEmulatorAt,omitempty"`
	FaultEmulatorFor      string  `json:"faultEmulatorFor,omitempty"`
	FaultEmulatorLatency  string  `json:"faultEmulatorLatency,omitempty"`
	FaultEmulator5xx      float64 `json:"faultEmulator5xx,omitempty"`
	FaultBudgetExhaustAt  string  `json:"faultBudgetExhaustAt,omitempty"`
}

// The instances run as production runs them (deploy/cloudrun/service.yaml; go test ./deploy/
// keeps these equal to it): GOMEMLIMIT from the 512 MiB container limit, and at most
// containerConcurrency requests in flight on one instance, which Cloud Run's front end enforces.
const (
	ProductionGoMemLimit  = "450MiB"
	ProductionGOGC        = "50"
	ProductionConcurrency = 80
)

// options are the parsed flags.
type options struct {
	RunConfig
	duration, maxTime, maxWait, cacheTTL time.Duration
	ramp                                 ramp
	personas                             []string
	redisRestartAt, redisDown            time.Duration
	killAt, killDown                     time.Duration
	emuAt, emuFor, emuLatency            time.Duration
	budgetAt                             time.Duration
	logDir                               string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: nezame loadtest [flags]  (trend-day load harness; see deploy/loadtest/README.md)")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.Bin, "bin", "", "nezame binary for the instances and the emulator (default: this executable)")
	fs.StringVar(&o.Target, "target", "", "drive an already running service at this URL instead of starting instances (needs -emulator)")
	fs.StringVar(&o.EmulatorURL, "emulator", "", "with -target: the emulator's URL (consent form and /_emulator/stats)")
	fs.StringVar(&o.RedisURL, "redis", "", "with -target: the service's Redis, for the ops count and -fault-budget-exhaust-at")
	fs.IntVar(&o.Instances, "instances", 3, "service instances to start behind the round-robin proxy")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long users keep arriving")
	fs.DurationVar(&o.maxTime, "max-time", 0, "hard cap on the whole run (default: duration + 30s)")
	rampStr := fs.String("ramp", "2,5,50,100", "arrival rate in users/s at evenly spaced points of -duration (linear in between)")
	fs.IntVar(&o.MaxUsers, "max-users", 5000, "at most this many virtual users")
	fs.IntVar(&o.MaxInFlight, "max-in-flight", 3000, "at most this many users active at once (later arrivals wait)")
	fs.DurationVar(&o.maxWait, "max-wait", 30*time.Second, "how long one user keeps polling /api/periods before giving up")
	fs.IntVar(&o.AppCap, "app-cap", 6000, "Twitter timeline budget: the emulator's -app-daily-cap and the service's TWITTER_APP_DAILY_QUOTA")
	fs.DurationVar(&o.cacheTTL, "cache-ttl", 20*time.Second, "CACHE_TTL of the instances (revisits after it cost one since_id call)")
	fs.IntVar(&o.QueueCap, "queue-capacity", 32, "QUEUE_CAPACITY of the instances")
	fs.IntVar(&o.WindowDays, "window-days", 28, "WINDOW_DAYS of the instances")
	fs.Int64Var(&o.Seed, "seed", 1, "emulator persona seed")
	fs.IntVar(&o.UserOffset, "user-offset", 0, "first persona user number (use a new one against a long-lived -target)")
	personas := fs.String("personas", "early_bird,night_owl,shift_worker,chaotic,silent,heavy", "personas cycled over the users")
	fs.StringVar(&o.Out, "out", "deploy/loadtest/results/latest.json", "where to write the JSON report")
	fs.StringVar(&o.GoMemLimit, "gomemlimit", ProductionGoMemLimit, "GOMEMLIMIT of the instances (empty: unset)")
	fs.StringVar(&o.GOGC, "gogc", ProductionGOGC, "GOGC of the instances (empty: unset, the runtime's 100)")
	fs.IntVar(&o.Concurrency, "concurrency", ProductionConcurrency, "requests in flight per instance at most, as Cloud Run's containerConcurrency; the rest wait in the proxy (0: no limit)")
	fs.StringVar(&o.logDir, "log-dir", "", "keep process logs here (default: a temporary directory, removed)")

	fs.DurationVar(&o.redisRestartAt, "fault-redis-restart-at", 0, "kill redis-server at this offset and start it again on the same port")
	fs.DurationVar(&o.redisDown, "fault-redis-down", 2*time.Second, "how long Redis stays down")
	fs.BoolVar(&o.FaultRedisKeepData, "fault-redis-keep-data", true, "SAVE a snapshot just before the kill and load it on restart (false: Redis comes back empty)")
	fs.DurationVar(&o.killAt, "fault-kill-instance-at", 0, "SIGKILL instance 1 at this offset")
	fs.StringVar(&o.FaultKillSignal, "fault-kill-signal", "KILL", "KILL (a crash: in-flight requests fail) or TERM (a graceful drain, as Cloud Run scales in)")
	fs.DurationVar(&o.killDown, "fault-kill-instance-down", 3*time.Second, "how long the killed instance stays down")
	fs.DurationVar(&o.emuAt, "fault-emulator-at", 0, "start the emulator faults at this offset (default: at once when a fault is set)")
	fs.DurationVar(&o.emuFor, "fault-emulator-for", 0, "clear the emulator faults after this long (default: never)")
	fs.DurationVar(&o.emuLatency, "fault-emulator-latency", 0, "added latency of every emulator API response")
	fs.Float64Var(&o.FaultEmulator5xx, "fault-emulator-5xx", 0, "fraction 0..1 of emulator API requests answered 503")
	fs.DurationVar(&o.budgetAt, "fault-budget-exhaust-at", 0, "spend the whole Twitter budget (emulator app cap and the service's daily quota) at this offset")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("loadtest: unexpected arguments %q", fs.Args())
	}
	var err error
	if o.ramp, err = parseRamp(*rampStr); err != nil {
		return o, err
	}
	for _, p := range strings.Split(*personas, ",") {
		if p = strings.TrimSpace(p); p != "" {
			o.personas = append(o.personas, p)
		}
	}
	if o.maxTime == 0 {
		o.maxTime = o.duration + 30*time.Second
	}
	var errs []error
	switch {
	case o.duration <= 0 || o.duration > time.Hour:
		errs = append(errs, fmt.Errorf("-duration must be in (0, 1h], got %s", o.duration))
	case o.maxTime < o.duration || o.maxTime > 2*time.Hour:
		errs = append(errs, fmt.Errorf("-max-time must be in [-duration, 2h], got %s", o.maxTime))
	}
	if o.Target == "" && (o.Instances < 1 || o.Instances > 16) {
		errs = append(errs, fmt.Errorf("-instances must be 1..16, got %d", o.Instances))
	}
	if o.Target != "" && o.EmulatorURL == "" {
		errs = append(errs, errors.New("-target needs -emulator"))
	}
	if o.MaxUsers < 1 || o.MaxInFlight < 1 || o.AppCap < 1 || o.QueueCap < 1 {
		errs = append(errs, errors.New("-max-users, -max-in-flight, -app-cap and -queue-capacity must be positive"))
	}
	if o.cacheTTL < time.Second {
		errs = append(errs, fmt.Errorf("-cache-ttl must be at least 1s, got %s", o.cacheTTL))
	}
	if len(o.personas) == 0 {
		errs = append(errs, errors.New("-personas is empty"))
	}
	if o.FaultKillSignal != "KILL" && o.FaultKillSignal != "TERM" {
		errs = append(errs, fmt.Errorf("-fault-kill-signal must be KILL or TERM, got %q", o.FaultKillSignal))
	}
	if o.FaultEmulator5xx < 0 || o.FaultEmulator5xx > 1 {
		errs = append(errs, fmt.Errorf("-fault-emulator-5xx must be 0..1, got %v", o.FaultEmulator5xx))
	}
	if err := errors.Join(errs...); err != nil {
		return o, fmt.Errorf("loadtest flags: %w", err)
	}
	o.Duration, o.MaxTime, o.MaxWait, o.CacheTTL = o.duration.String(), o.maxTime.String(), o.maxWait.String(), o.cacheTTL.String()
	o.Ramp, o.Personas = o.ramp.String(), strings.Join(o.personas, ",")
	opt := func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return d.String()
	}
	o.FaultRedisRestartAt, o.FaultKillInstanceAt, o.FaultBudgetExhaustAt = opt(o.redisRestartAt), opt(o.killAt), opt(o.budgetAt)
	if o.redisRestartAt > 0 {
		o.FaultRedisDown = o.redisDown.String()
	}
	if o.killAt > 0 {
		o.FaultKillInstanceDown = o.killDown.String()
	} else {
		o.FaultKillSignal = ""
	}
	if o.emuLatency > 0 || o.FaultEmulator5xx > 0 {
		o.FaultEmulatorAt, o.FaultEmulatorFor, o.FaultEmulatorLatency = o.emuAt.String(), opt(o.emuFor), o.emuLatency.String()
	}
	return o, nil
}
