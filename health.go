package livedesk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/livedesk/livedesk/store"
)

// Health is what Desk.Health reports: the backlog as the store holds it
// (so it is the same on every replica sharing the store) and when a Run
// last made progress.
type Health struct {
	// OK is false when work waits (pending outbound, unprocessed inbound
	// or queued conversations) and no Run has made progress within
	// Options.RunStaleAfter.
	OK bool `json:"ok"`
	// Problems says why OK is false.
	Problems []string `json:"problems,omitempty"`

	PendingOutbound     int           `json:"pending_outbound"`
	OldestPendingAge    time.Duration `json:"oldest_pending_age_ns"`
	FailedLastHour      int           `json:"failed_last_hour"`
	UnprocessedInbound  int           `json:"unprocessed_inbound"`
	QueuedConversations int           `json:"queued_conversations"`
	OldestQueuedWait    time.Duration `json:"oldest_queued_wait_ns"`
	// LastRunAt is the latest heartbeat of any Run on the store (zero:
	// none ever); LastRunAge is how long ago it was (zero when none).
	LastRunAt  time.Time     `json:"last_run_at,omitzero"`
	LastRunAge time.Duration `json:"last_run_age_ns,omitempty"`
}

// Health reports the desk's backlog and Run's heartbeat from the store.
// The store must implement store.Health (memstore and pgstore do);
// otherwise the error wraps errors.ErrUnsupported.
func (d *Desk) Health(ctx context.Context) (Health, error) {
	hs, ok := d.store.(store.Health)
	if !ok {
		return Health{}, fmt.Errorf("livedesk: health: the store does not implement store.Health: %w", errors.ErrUnsupported)
	}
	now := d.clock.Now()
	b, err := hs.Backlog(ctx, now.Add(-time.Hour))
	if err != nil {
		return Health{}, fmt.Errorf("livedesk: health: %w", err)
	}
	h := Health{OK: true, PendingOutbound: b.PendingOutbound, FailedLastHour: b.FailedOutbound,
		UnprocessedInbound: b.UnprocessedInbound, QueuedConversations: b.QueuedConversations, LastRunAt: b.LastRunAt}
	if !b.OldestPendingAt.IsZero() {
		h.OldestPendingAge = max(0, now.Sub(b.OldestPendingAt))
	}
	if !b.OldestQueuedAt.IsZero() {
		h.OldestQueuedWait = max(0, now.Sub(b.OldestQueuedAt))
	}
	if !b.LastRunAt.IsZero() {
		h.LastRunAge = max(0, now.Sub(b.LastRunAt))
	}
	waiting := b.PendingOutbound > 0 || b.UnprocessedInbound > 0 || b.QueuedConversations > 0
	if waiting && (b.LastRunAt.IsZero() || h.LastRunAge > d.runStale) {
		h.OK = false
		if b.LastRunAt.IsZero() {
			h.Problems = append(h.Problems, "work is waiting and no Run has ever made progress: call desk.Run(ctx) in one process at least")
		} else {
			h.Problems = append(h.Problems, fmt.Sprintf("work is waiting and no Run has made progress for %s", h.LastRunAge.Round(time.Second)))
		}
	}
	return h, nil
}

// HealthHandler returns an http.Handler answering GET with Desk.Health as
// JSON: 200 when OK, 503 when not (or when the store cannot be read, with
// {"ok":false,"error":...}). It reveals counts only, no customer data;
// mount it where your health checks (and not the public) reach it.
func (d *Desk) HealthHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		h, err := d.Health(r.Context())
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": err.Error()})
			return
		}
		if !h.OK {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(h)
	})
}

// heartbeatEvery is how often Run records its heartbeat.
const heartbeatEvery = 10 * time.Second

// heartbeat records that this desk's Run made progress, at most once per
// heartbeatEvery (on the desk's clock).
func (d *Desk) heartbeat(ctx context.Context, now time.Time) {
	hs, ok := d.store.(store.Health)
	if !ok || now.UnixNano()-d.lastBeat.Load() < int64(heartbeatEvery) {
		return
	}
	d.lastBeat.Store(now.UnixNano())
	if err := hs.Heartbeat(ctx, d.runner, now); err != nil && ctx.Err() == nil {
		d.log.WarnContext(ctx, "recording Run's heartbeat failed", "err", err)
	}
}

// checkRun warns, at most once per Options.RunStaleAfter (and not in the
// first RunStaleAfter after New), when work waits
// in the store and no Run (in this process or another sharing the store)
// has made progress for RunStaleAfter: webhooks are answered and replies
// queued, but nothing is sent. It is called on the webhook and Send paths;
// when this desk's Run is running it costs one atomic load.
func (d *Desk) checkRun(ctx context.Context) {
	if d.running.Load() > 0 {
		return
	}
	now := d.clock.Now().UnixNano()
	last := d.lastRunCheck.Load()
	if last != 0 && now-last < int64(d.runStale) {
		return
	}
	if !d.lastRunCheck.CompareAndSwap(last, now) {
		return
	}
	h, err := d.Health(ctx)
	if err != nil || h.OK {
		return
	}
	d.log.WarnContext(ctx, "messages are waiting and no Run is making progress: start desk.Run(ctx) in a goroutine (in one process at least)",
		"pending_outbound", h.PendingOutbound, "unprocessed_inbound", h.UnprocessedInbound,
		"queued_conversations", h.QueuedConversations, "last_run_at", h.LastRunAt)
}
