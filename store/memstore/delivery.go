package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/store"
)

// ClaimOutbound implements store.Outbox.
func (s *Store) ClaimOutbound(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]store.Claim, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The head of each conversation's queue: its oldest message still in
	// the outbox. Only a head may be claimed.
	heads := map[string]*store.Message{}
	for id := range s.due {
		m := s.msgs[id]
		if h := heads[m.ConversationID]; h == nil || s.outSeq[id] < s.outSeq[h.ID] {
			heads[m.ConversationID] = m
		}
	}
	var due []*store.Message
	for _, m := range heads {
		switch m.Status {
		case store.DeliveryPending:
			if m.SID == "" && !m.NextAttemptAt.After(now) {
				due = append(due, m)
			}
		case store.DeliverySending:
			if l := s.leases[m.ID]; !l.until.After(now) {
				due = append(due, m)
			}
		}
	}
	slices.SortFunc(due, func(a, b *store.Message) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return cmp.Compare(s.outSeq[a.ID], s.outSeq[b.ID])
	})
	if limit > 0 && len(due) > limit {
		due = due[:limit]
	}
	claims := make([]store.Claim, 0, len(due))
	for _, m := range due {
		l := lease{token: newID(), until: now.Add(leaseFor)}
		s.leases[m.ID] = l
		m.Status = store.DeliverySending
		m.UpdatedAt = now
		claims = append(claims, store.Claim{
			Message: *m, Lease: l.token, Contact: cloneContact(s.contacts[m.ContactID]), Sender: s.convs[m.ConversationID].Sender,
		})
	}
	return claims, nil
}

// CompleteOutbound implements store.Outbox.
func (s *Store) CompleteOutbound(ctx context.Context, id, token string, r store.SendResult) (store.Message, error) {
	if err := ctx.Err(); err != nil {
		return store.Message{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.msgs[id]
	if !ok || m.Direction != store.Outbound {
		return store.Message{}, fmt.Errorf("memstore: outbound %q: %w", id, store.ErrNotFound)
	}
	if l, ok := s.leases[id]; !ok || l.token != token {
		return store.Message{}, fmt.Errorf("memstore: outbound %q: %w", id, store.ErrLeaseLost)
	}
	delete(s.leases, id)
	m.Attempts++
	m.UpdatedAt = r.At
	m.ErrorCode, m.Error = r.ErrorCode, r.Error
	switch r.Outcome {
	case store.OutcomeSent:
		s.setSID(m, r.SID)
		if m.Status == store.DeliverySending {
			m.Status = store.DeliveryQueued // at least accepted by the provider
		}
		if next, ok := store.NextStatus(m.Status, r.Status); ok {
			m.Status = next
		}
		delete(s.due, id)
	case store.OutcomeRetry:
		if m.Status == store.DeliverySending {
			m.Status = store.DeliveryPending
		}
		m.NextAttemptAt = r.NextAttemptAt
	default:
		if m.Status == store.DeliverySending {
			m.Status = store.DeliveryFailed
		}
		delete(s.due, id)
	}
	return *m, nil
}

func (s *Store) setSID(m *store.Message, sid string) {
	if m.SID == "" && sid != "" {
		m.SID = sid
		s.outBySID[pair{m.ChannelID, sid}] = m.ID
	}
}

// ApplyStatus implements store.Outbox.
func (s *Store) ApplyStatus(ctx context.Context, u store.StatusUpdate) (store.Message, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Message{}, false, err
	}
	if err := u.Check(); err != nil {
		return store.Message{}, false, fmt.Errorf("memstore: apply status: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := u.MessageID
	if id == "" {
		id = s.outBySID[pair{u.ChannelID, u.SID}]
	}
	m, ok := s.msgs[id]
	if !ok || m.Direction != store.Outbound || (u.ChannelID != "" && m.ChannelID != u.ChannelID) {
		return store.Message{}, false, fmt.Errorf("memstore: outbound %s/%s: %w", u.MessageID, u.SID, store.ErrNotFound)
	}
	s.setSID(m, u.SID)
	if u.ErrorCode != 0 {
		m.ErrorCode, m.Error = u.ErrorCode, u.ErrorMessage
	}
	cur := m.Status
	if cur == store.DeliveryPending || cur == store.DeliverySending {
		cur = "" // the provider has it: any provider status is progress
	}
	next, changed := store.NextStatus(cur, u.Status)
	if changed {
		m.Status = next
		m.UpdatedAt = u.At
		delete(s.due, m.ID)
	}
	if u.CloseWindow {
		if c := s.contacts[m.ContactID]; u.At.After(c.WindowClosedAt) {
			c.WindowClosedAt = u.At
		}
	}
	return *m, changed, nil
}
