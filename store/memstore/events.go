package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/livedesk/livedesk/store"
)

// feed is the store's event log, guarded by Store.mu like everything else:
// an event is appended under the same lock as the change it reports, so
// the feed's order is the order the changes happened in.
type feed struct {
	events []store.Event // oldest first; Position.Seq increases
	seq    uint64
	// wake is closed when an event is appended after a waiter took it
	// (waited), and then replaced.
	wake   chan struct{}
	waited bool

	cursors map[string]*cursorRow
}

type cursorRow struct {
	c          store.Cursor
	leaseUntil time.Time
}

// kindData is the Data of the events the store writes itself, by message
// kind, built once so that the hot path does not allocate it.
var kindData = map[store.Kind][]byte{}

func init() {
	for _, k := range []store.Kind{store.KindCustomer, store.KindGreeting, store.KindOutOfOffice, store.KindReply,
		store.KindAI, store.KindSurvey, store.KindSurveyReply} {
		kindData[k] = []byte(`{"kind":"` + string(k) + `"}`)
	}
}

func dataForKind(k store.Kind) []byte {
	if b, ok := kindData[k]; ok {
		return b
	}
	return []byte(`{"kind":"` + string(k) + `"}`) // kinds are plain identifiers
}

// appendEventLocked appends one event; the caller holds s.mu.
func (s *Store) appendEventLocked(e store.Event) store.Position {
	s.feed.seq++
	e.Position = store.Position(s.feed.seq)
	s.feed.events = append(s.feed.events, e)
	if s.feed.waited {
		close(s.feed.wake)
		s.feed.wake = make(chan struct{})
		s.feed.waited = false
	}
	return e.Position
}

// messageEventLocked appends the event the store writes for a message it
// stored (store.Feed): received for inbound, queued for outbound.
func (s *Store) messageEventLocked(m *store.Message) {
	typ := store.EventMessageQueued
	if m.Direction == store.Inbound {
		typ = store.EventMessageReceived
	}
	e := store.Event{Type: typ, At: m.CreatedAt, ChannelID: m.ChannelID, ConversationID: m.ConversationID,
		ContactID: m.ContactID, MessageID: m.ID, Data: dataForKind(m.Kind)}
	if c := s.convs[m.ConversationID]; c != nil {
		e.AgentID, e.AIAgentID = c.AssigneeID, c.AIAgentID
	}
	s.appendEventLocked(e)
}

// AppendEvents implements store.Feed.
func (s *Store) AppendEvents(ctx context.Context, evs []store.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range evs {
		e := evs[i]
		e.Data = cloneBytes(e.Data)
		evs[i].Position = s.appendEventLocked(e)
	}
	return nil
}

// ReadEvents implements store.Feed.
func (s *Store) ReadEvents(ctx context.Context, after store.Position, f store.EventFilter, limit int) ([]store.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	evs := s.feed.events
	// Positions increase: find the first after.
	lo, hi := 0, len(evs)
	for lo < hi {
		mid := (lo + hi) / 2
		if evs[mid].Position <= after {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	var out []store.Event
	for i := lo; i < len(evs); i++ {
		if !f.Match(&evs[i]) {
			continue
		}
		e := evs[i]
		e.Data = cloneBytes(e.Data)
		out = append(out, e)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

// FeedHead implements store.Feed.
func (s *Store) FeedHead(ctx context.Context) (store.Position, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.headLocked(), nil
}

func (s *Store) headLocked() store.Position {
	if n := len(s.feed.events); n > 0 {
		return s.feed.events[n-1].Position
	}
	return store.Position(s.feed.seq) // everything pruned: still after it all
}

// WaitEvents implements store.Feed: in-process, woken by appends.
func (s *Store) WaitEvents(ctx context.Context, after store.Position) error {
	s.mu.Lock()
	if s.headLocked() > after {
		s.mu.Unlock()
		return nil
	}
	ch := s.feed.wake
	s.feed.waited = true
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PruneEvents implements store.Feed.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := s.feed.events[:0]
	n := 0
	for _, e := range s.feed.events {
		if e.At.Before(before) {
			n++
			continue
		}
		keep = append(keep, e)
	}
	clear(s.feed.events[len(keep):])
	s.feed.events = keep
	return n, nil
}

// ClaimCursor implements store.Feed.
func (s *Store) ClaimCursor(ctx context.Context, name string, start store.Position, now time.Time, lease time.Duration) (store.Cursor, error) {
	if err := ctx.Err(); err != nil {
		return store.Cursor{}, err
	}
	if name == "" {
		return store.Cursor{}, fmt.Errorf("memstore: claim cursor: the name is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.feed.cursors[name]
	if r == nil {
		r = &cursorRow{c: store.Cursor{Name: name, Position: start}}
		s.feed.cursors[name] = r
	}
	if now.Before(r.leaseUntil) || now.Before(r.c.NextAttemptAt) {
		return store.Cursor{}, fmt.Errorf("memstore: claim cursor %q: %w", name, store.ErrCursorBusy)
	}
	r.c.Lease = uuid.NewString()
	r.leaseUntil = now.Add(lease)
	return r.c, nil
}

// SaveCursor implements store.Feed.
func (s *Store) SaveCursor(ctx context.Context, c store.Cursor, release bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.feed.cursors[c.Name]
	if r == nil {
		return fmt.Errorf("memstore: save cursor %q: %w", c.Name, store.ErrNotFound)
	}
	if r.c.Lease != c.Lease || c.Lease == "" {
		return fmt.Errorf("memstore: save cursor %q: %w", c.Name, store.ErrLeaseLost)
	}
	r.c.Position, r.c.Attempts, r.c.NextAttemptAt, r.c.LastError = c.Position, c.Attempts, c.NextAttemptAt, c.LastError
	if release {
		r.c.Lease, r.leaseUntil = "", time.Time{}
	}
	return nil
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
