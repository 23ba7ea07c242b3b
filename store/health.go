package store

import (
	"context"
	"time"
)

// Backlog is what waits in a store, for a health check: the figures come
// from the shared data, so they are true across every desk using it.
type Backlog struct {
	// PendingOutbound counts outbound messages not sent yet (pending, or
	// claimed and being sent); OldestPendingAt is the CreatedAt of the
	// oldest (zero when none).
	PendingOutbound int
	OldestPendingAt time.Time
	// FailedOutbound counts outbound messages that failed (status failed
	// or undelivered) with UpdatedAt at or after the since time given.
	FailedOutbound int
	// UnprocessedInbound counts inbound messages recorded but not
	// processed yet.
	UnprocessedInbound int
	// QueuedConversations counts open conversations waiting for an agent
	// (QueuedAt set, no owner); OldestQueuedAt is the earliest QueuedAt
	// (zero when none).
	QueuedConversations int
	OldestQueuedAt      time.Time
	// LastRunAt is the latest heartbeat recorded by any Run (zero: none
	// ever).
	LastRunAt time.Time
}

// Health is an optional store capability: the backlog figures a health
// check reports, and the heartbeat a desk's Run records as it makes
// progress. memstore and pgstore implement it; a store that does not makes
// Desk.Health return an error wrapping errors.ErrUnsupported.
type Health interface {
	// Backlog returns the store's backlog; failures are counted from since.
	Backlog(ctx context.Context, since time.Time) (Backlog, error)
	// Heartbeat records that the Run named runner made progress at at. The
	// latest heartbeat of all runners is Backlog's LastRunAt; an earlier at
	// than the one recorded for runner changes nothing.
	Heartbeat(ctx context.Context, runner string, at time.Time) error
}
