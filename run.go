package livedesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/livedesk/livedesk/store"
)

// Run does the desk's background work until ctx ends: it assigns waiting
// conversations as soon as an agent has room (oldest first), runs AI agents'
// turns, delivers queued messages (at most Options.MaxInFlight sends and AI
// turns at once, retrying retryable failures with backoff), processes
// messages that were recorded but never processed (the sweep), closes
// expired CSAT surveys, delivers outgoing webhooks (Options.Webhooks) and
// prunes the event feed (Options.EventRetention). When ctx ends it stops
// claiming work, waits for the sends in flight to finish (recording a
// send's result through a store failure is retried until the message's
// lease ends, Options.OutboxLease, so that wait is bounded by it) and
// returns nil; it leaves no goroutine behind.
// Several Runs, in one process or several sharing a store, never send the
// same message twice.
func (d *Desk) Run(ctx context.Context) error {
	var g errgroup.Group
	g.SetLimit(d.maxInFlight)
	d.running.Add(1)
	defer d.running.Add(-1)
	defer func() { _ = g.Wait() }()
	var nextSweep time.Time
	// New webhook endpoints start with the events from now on.
	hooksFrom, err := d.store.FeedHead(ctx)
	if err != nil && len(d.webhooks) > 0 && ctx.Err() == nil {
		d.log.Error("reading the event feed's head failed; webhooks wait for the next Run", "err", err)
	}
	hooksOK := err == nil
	for {
		now := d.clock.Now()
		d.flushRejectLogs(ctx, now)
		d.heartbeat(ctx, now)
		if !now.Before(nextSweep) {
			if _, err := d.Sweep(ctx); err != nil && ctx.Err() == nil {
				d.log.ErrorContext(ctx, "sweep failed", "err", err)
			}
			if _, err := d.store.ExpireSurveys(ctx, now); err != nil && ctx.Err() == nil {
				d.log.ErrorContext(ctx, "expiring surveys failed", "err", err)
			}
			d.pruneEvents(ctx, now)
			nextSweep = now.Add(d.sweepEvery)
		}
		if _, err := d.drainQueue(ctx); err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "assigning waiting conversations failed", "err", err)
		}
		if _, err := d.runAITurns(ctx, &g); err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "AI turns failed", "err", err)
		}
		if hooksOK {
			d.deliverWebhooks(ctx, hooksFrom, func(f func()) { g.Go(func() error { f(); return nil }) })
		}
		n, err := d.deliver(ctx, &g)
		if err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "delivery failed", "err", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		if n == d.maxInFlight {
			continue // there may be more due right now
		}
		t := d.clock.NewTimer(min(d.pollEvery, nextSweep.Sub(now)))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-d.kick:
		case <-t.C():
		}
		t.Stop()
	}
}

// pruneEvents drops events older than Options.EventRetention.
func (d *Desk) pruneEvents(ctx context.Context, now time.Time) {
	if d.retention <= 0 {
		return
	}
	if _, err := d.store.PruneEvents(ctx, now.Add(-d.retention)); err != nil && ctx.Err() == nil {
		d.log.Error("pruning the event feed failed", "err", err)
	}
}

// sweepBatch is how many unprocessed messages one Sweep takes at most.
const sweepBatch = 100

// Sweep processes inbound messages recorded more than Options.SweepAge ago
// but never processed (the process stopped between recording a message and
// acting on it), oldest first, and returns how many it processed. Run calls
// it periodically; hosts that do not call Run can call it from a job.
// Processing is idempotent, so a sweep racing a webhook or another sweep
// queues nothing twice.
func (d *Desk) Sweep(ctx context.Context) (int, error) {
	msgs, err := d.store.UnprocessedInbound(ctx, d.clock.Now().Add(-d.sweepAge), sweepBatch)
	if err != nil {
		return 0, fmt.Errorf("livedesk: sweep: %w", err)
	}
	done := 0
	var errs []error
	for _, m := range msgs {
		if err := d.sweepOne(ctx, m); err != nil {
			errs = append(errs, err)
			continue
		}
		done++
	}
	return done, errors.Join(errs...)
}

func (d *Desk) sweepOne(ctx context.Context, m store.Message) error {
	e, err := d.channels.get(ctx, m.ChannelID)
	if errors.Is(err, errUnknownChannel) {
		// The channel was deleted: nothing to do for its messages any more.
		_, err = d.store.FinishInbound(ctx, m.ID, nil, d.clock.Now())
		return err
	}
	if err != nil {
		return err
	}
	if err := d.processStored(ctx, e, m); err != nil {
		return fmt.Errorf("livedesk: sweep message %s: %w", m.ID, err)
	}
	return nil
}
