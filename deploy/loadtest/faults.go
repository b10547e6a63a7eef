package loadtest

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// scheduleFaults starts one goroutine per requested fault; each waits for its offset.
func (h *harness) scheduleFaults(ctx context.Context, wg *sync.WaitGroup, emu *emulatorAdmin, rdb *redis.Client) {
	o := h.o
	at := func(offset time.Duration, fn func()) {
		wg.Go(func() {
			if sleep(ctx, time.Until(h.start.Add(offset))) {
				fn()
			}
		})
	}
	if o.redisRestartAt > 0 && h.cl != nil {
		at(o.redisRestartAt, func() { h.restartRedis(ctx, rdb) })
	}
	if o.killAt > 0 && h.cl != nil {
		at(o.killAt, func() { h.killInstance(ctx, 0) })
	}
	if o.emuLatency > 0 || o.FaultEmulator5xx > 0 {
		at(o.emuAt, func() { h.emulatorFaults(ctx, emu) })
	}
	if o.budgetAt > 0 {
		at(o.budgetAt, func() { h.exhaustBudget(ctx, emu, rdb) })
	}
}

func (h *harness) since() time.Duration { return time.Since(h.start) }

func (h *harness) addFault(f FaultEvent) {
	f.AtSec, f.EndSec = round1(f.from.Seconds()), round1(f.to.Seconds())
	h.faultMu.Lock()
	h.faults = append(h.faults, f)
	h.faultMu.Unlock()
}

// restartRedis kills redis-server (after a SAVE when data should survive, as a persistent Redis
// would) and starts it again on the same port after -fault-redis-down. 503s overlapping the
// outage are expected and counted apart.
func (h *harness) restartRedis(ctx context.Context, rdb *redis.Client) {
	note := "SIGKILL; restarted empty"
	if h.o.FaultRedisKeepData {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if err := rdb.Save(sctx).Err(); err != nil {
			h.logf("redis SAVE before the kill: %v", err)
		}
		cancel()
		note = "SAVE then SIGKILL; restarted from the snapshot"
	}
	h.redisOpsMu.Lock()
	h.redisOpsBase += redisCommands(ctx, rdb) - h.redisOpsFrom
	h.redisOpsFrom = 0
	h.redisOpsMu.Unlock()
	from := h.since()
	h.cl.kill("redis")
	h.logf("fault: redis-server killed at %.1f s", from.Seconds())
	sleep(ctx, h.o.redisDown)
	if err := h.cl.startRedis(context.WithoutCancel(ctx)); err != nil {
		h.logf("fault: restart redis-server: %v", err)
		note += "; RESTART FAILED: " + err.Error()
	}
	to := h.since()
	h.logf("fault: redis-server back at %.1f s", to.Seconds())
	h.addFault(FaultEvent{Name: "redis-restart", from: from, to: to, outage: true, Note: note})
}

// killInstance stops one instance (SIGKILL: a crash; SIGTERM: Cloud Run scaling in) and restarts it after -fault-kill-instance-down. Sessions
// live in Redis, so no signed-in user may notice beyond a retried request.
func (h *harness) killInstance(ctx context.Context, i int) {
	name, host := instanceName(i), h.cl.instAddrs[i]
	sig, sigName := syscall.SIGKILL, "SIGKILL"
	if h.o.FaultKillSignal == "TERM" {
		sig, sigName = syscall.SIGTERM, "SIGTERM (graceful drain)"
	}
	from := h.since()
	// Routing stops first, as a front end stops routing to an instance it is taking down.
	h.px.setAlive(host, false)
	h.cl.stop(name, sig)
	h.logf("fault: %s stopped with %s at %.1f s", name, sigName, from.Seconds())
	sleep(ctx, h.o.killDown)
	note := sigName + ", then restarted on the same port"
	if err := h.cl.startInstance(context.WithoutCancel(ctx), i); err != nil {
		note += "; RESTART FAILED: " + h.cl.withLog(name, err).Error()
	}
	h.px.setAlive(host, true)
	to := h.since()
	h.logf("fault: %s back at %.1f s", name, to.Seconds())
	h.addFault(FaultEvent{Name: "kill-instance", from: from, to: to, Note: note})
}

// emulatorFaults sets latency and 5xx on the emulator's API, and clears them after
// -fault-emulator-for (if set).
func (h *harness) emulatorFaults(ctx context.Context, emu *emulatorAdmin) {
	body := fmt.Sprintf(`{"latencyMs":%d,"errorRate":%g}`, h.o.emuLatency.Milliseconds(), h.o.FaultEmulator5xx)
	from := h.since()
	note := body
	if err := emu.post(ctx, "/_emulator/faults", body); err != nil {
		note += "; FAILED: " + err.Error()
	}
	to := h.o.maxTime
	if h.o.emuFor > 0 {
		sleep(ctx, h.o.emuFor)
		if err := emu.post(context.WithoutCancel(ctx), "/_emulator/faults", `{"latencyMs":0,"errorRate":0,"timeoutRate":0}`); err != nil {
			note += "; clear FAILED: " + err.Error()
		}
		to = h.since()
	}
	h.addFault(FaultEvent{Name: "emulator-faults", from: from, to: to, Note: note})
}

// exhaustBudget spends the whole Twitter budget at once: the emulator's app cap (Twitter's own
// count) and the service's shared daily quota in Redis (the hash nezame:budget:{app}:day:YYYYMMDD,
// field n, as api/internal/keys names it and api/internal/twitter/budget keeps it), so users must
// be told rate_limited (or shown their stored calendar).
func (h *harness) exhaustBudget(ctx context.Context, emu *emulatorAdmin, rdb *redis.Client) {
	from := h.since()
	note := "emulator app cap remaining 0"
	if err := emu.post(ctx, "/_emulator/app-cap", `{"remaining":0}`); err != nil {
		note += " FAILED: " + err.Error()
	}
	if rdb != nil {
		key := "nezame:budget:{app}:day:" + time.Now().UTC().Format("20060102")
		pipe := rdb.TxPipeline()
		pipe.HSet(ctx, key, "n", h.o.AppCap)
		pipe.Expire(ctx, key, 48*time.Hour)
		if _, err := pipe.Exec(ctx); err != nil {
			note += "; service quota FAILED: " + err.Error()
		} else {
			note += "; service daily quota spent"
		}
	}
	h.addFault(FaultEvent{Name: "budget-exhausted", from: from, to: from, Note: note})
}
