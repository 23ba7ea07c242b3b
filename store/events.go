package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Position is a place in the event feed: events are numbered in
// increasing order, and positions are gap-safe: once a reader has read up
// to a position, no event at or before it appears later, so resuming after
// it misses nothing and repeats nothing. The zero Position is before every
// event.
//
// On Postgres an event's number comes from a sequence, and transactions
// commit in any order, so a reader only reads up to a horizon below which
// every writer has finished (see pgstore's migration 0006).
type Position uint64

// String returns the position in decimal (what ParsePosition reads; the
// SSE stream's event IDs).
func (p Position) String() string { return strconv.FormatUint(uint64(p), 10) }

// ErrBadPosition is matched by ParsePosition's errors.
var ErrBadPosition = errors.New("store: bad feed position")

// ParsePosition reads a position written by Position.String.
func ParsePosition(s string) (Position, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not an unsigned decimal integer", ErrBadPosition, s)
	}
	return Position(n), nil
}

// Event is one entry of the durable event feed. The store does not
// interpret Type or Data; the desk writes them. Events never carry
// credentials.
type Event struct {
	// Position is set by the store when the event is written.
	Position       Position
	Type           string
	At             time.Time
	ChannelID      string
	ConversationID string
	ContactID      string
	MessageID      string
	// AgentID and AIAgentID are the agents the event concerns (see
	// EventFilter.AgentID).
	AgentID   string
	AIAgentID string
	// Data is the rest of the event, JSON encoded by the desk (empty: none).
	Data []byte
}

// Event types the stores write themselves (see Feed).
const (
	EventMessageReceived    = "message.received"
	EventConversationOpened = "conversation.opened"
	EventMessageQueued      = "message.queued"
)

// EventFilter selects events. Zero fields match everything.
type EventFilter struct {
	ChannelID      string
	ConversationID string
	// AgentID matches events whose AgentID or AIAgentID is this agent.
	AgentID string
	// Types, when not empty, are the only types returned.
	Types []string
}

// Match reports whether e passes the filter.
func (f EventFilter) Match(e *Event) bool {
	if f.ChannelID != "" && e.ChannelID != f.ChannelID ||
		f.ConversationID != "" && e.ConversationID != f.ConversationID ||
		f.AgentID != "" && e.AgentID != f.AgentID && e.AIAgentID != f.AgentID {
		return false
	}
	if len(f.Types) == 0 {
		return true
	}
	for _, t := range f.Types {
		if t == e.Type {
			return true
		}
	}
	return false
}

// Cursor is a named reader's durable place in the feed, leased by one
// worker at a time (the desk's outgoing webhooks keep one per endpoint).
type Cursor struct {
	Name     string
	Position Position
	// Lease is the token SaveCursor requires.
	Lease string
	// Attempts counts failed attempts at the event after Position.
	Attempts int
	// NextAttemptAt is when the cursor may be claimed again (a backoff).
	NextAttemptAt time.Time
	// LastError is the last failure, for operators.
	LastError string
}

// ErrCursorBusy is returned by ClaimCursor when the cursor is leased by
// another worker or its NextAttemptAt is still ahead.
var ErrCursorBusy = errors.New("store: feed cursor leased or not due")

// Feed is the durable, ordered event feed.
//
// The stores write three kinds of events themselves, in the same atomic
// step (on Postgres, the same statement) as the change they report, so the
// webhook's hot path costs no extra round trip:
//   - EventConversationOpened when RecordInbound opens a conversation
//     (before that message's EventMessageReceived);
//   - EventMessageReceived for every inbound message RecordInbound records
//     (not for duplicates), with AgentID/AIAgentID the conversation's owner;
//   - EventMessageQueued for every outbound message any method queues
//     (FinishInbound, Enqueue, Resolve, CompleteAITurn...), with the same
//     owner fields.
//
// Their Data is {"kind":"<message kind>"}. Every other event is written
// with AppendEvents.
type Feed interface {
	// AppendEvents writes events in order, atomically, filling their
	// positions (the caller's slice is updated).
	AppendEvents(ctx context.Context, evs []Event) error
	// ReadEvents returns up to limit events after the position that match
	// f, in feed order (0: no limit). It never returns an event a later
	// call could place before one it returned (see Position).
	ReadEvents(ctx context.Context, after Position, f EventFilter, limit int) ([]Event, error)
	// FeedHead returns the position of the latest readable event (the zero
	// Position when there is none): reading after it returns only what
	// happens from now on.
	FeedHead(ctx context.Context) (Position, error)
	// WaitEvents returns nil once events after the position may be
	// readable, at once if some already are, or ctx's error when ctx ends
	// first. It may return early (a caller reads, and waits again if there
	// was nothing); it must wake for events written by other processes
	// sharing the store.
	WaitEvents(ctx context.Context, after Position) error
	// PruneEvents deletes events older than before (At) and returns how many.
	PruneEvents(ctx context.Context, before time.Time) (int, error)
	// ClaimCursor leases the named cursor until now+lease, creating it at
	// position start if it does not exist. ErrCursorBusy if another
	// unexpired lease holds it or its NextAttemptAt is after now.
	ClaimCursor(ctx context.Context, name string, start Position, now time.Time, lease time.Duration) (Cursor, error)
	// SaveCursor stores c's Position, Attempts, NextAttemptAt and LastError
	// if c.Lease still holds the cursor (else ErrLeaseLost), and with
	// release ends the lease.
	SaveCursor(ctx context.Context, c Cursor, release bool) error
}
