package memstore

import (
	"context"
	"time"

	"github.com/livedesk/livedesk/store"
)

var _ store.Health = (*Store)(nil)

// Backlog implements store.Health. Failures are counted by scanning the
// messages: fine for the sizes an in-memory store holds.
func (s *Store) Backlog(ctx context.Context, since time.Time) (store.Backlog, error) {
	if err := ctx.Err(); err != nil {
		return store.Backlog{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var b store.Backlog
	for id := range s.due {
		m := s.msgs[id]
		b.PendingOutbound++
		if b.OldestPendingAt.IsZero() || m.CreatedAt.Before(b.OldestPendingAt) {
			b.OldestPendingAt = m.CreatedAt
		}
	}
	for _, m := range s.msgs {
		if m.Direction == store.Outbound && (m.Status == store.DeliveryFailed || m.Status == store.DeliveryUndelivered) &&
			!m.UpdatedAt.Before(since) {
			b.FailedOutbound++
		}
	}
	b.UnprocessedInbound = len(s.unprocessed)
	for _, c := range s.convs {
		if c.Status == store.StatusOpen && !c.QueuedAt.IsZero() && c.AssigneeID == "" && c.AIAgentID == "" {
			b.QueuedConversations++
			if b.OldestQueuedAt.IsZero() || c.QueuedAt.Before(b.OldestQueuedAt) {
				b.OldestQueuedAt = c.QueuedAt
			}
		}
	}
	for _, at := range s.heartbeats {
		if at.After(b.LastRunAt) {
			b.LastRunAt = at
		}
	}
	return b, nil
}

// Heartbeat implements store.Health.
func (s *Store) Heartbeat(ctx context.Context, runner string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.heartbeats == nil {
		s.heartbeats = map[string]time.Time{}
	}
	if at.After(s.heartbeats[runner]) {
		s.heartbeats[runner] = at
	}
	return nil
}
