package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/store"
)

// Enqueue implements store.Outbox.
func (s *Store) Enqueue(ctx context.Context, msg store.Message, at time.Time) (store.Message, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Message{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.convs[msg.ConversationID]; !ok {
		return store.Message{}, false, fmt.Errorf("memstore: conversation %q: %w", msg.ConversationID, store.ErrNotFound)
	}
	m, created := s.enqueueLocked(msg, at)
	return m, created, nil
}

// enqueueLocked queues msg unless its key exists; the caller holds s.mu and
// has checked the conversation exists.
func (s *Store) enqueueLocked(msg store.Message, at time.Time) (store.Message, bool) {
	if id, ok := s.msgByKey[msg.Key]; ok && msg.Key != "" {
		return *s.msgs[id], false
	}
	if msg.ID == "" {
		msg.ID = newID()
	}
	msg.Direction = store.Outbound
	msg.Status = store.DeliveryPending
	msg.CreatedAt, msg.UpdatedAt = at, at
	if msg.NextAttemptAt.IsZero() {
		msg.NextAttemptAt = at
	}
	if msg.ContactID == "" {
		msg.ContactID = s.convs[msg.ConversationID].ContactID
	}
	if msg.ChannelID == "" {
		msg.ChannelID = s.convs[msg.ConversationID].ChannelID
	}
	m := &msg
	s.msgs[m.ID] = m
	s.due[m.ID] = struct{}{}
	s.seq++
	s.outSeq[m.ID] = s.seq
	if conv := s.convs[m.ConversationID]; (m.Kind == store.KindReply || m.Kind == store.KindAI) && at.After(conv.LastAgentReplyAt) {
		conv.LastAgentReplyAt = at
	}
	if m.Key != "" {
		s.msgByKey[m.Key] = m.ID
	}
	s.convMsgs[m.ConversationID] = append(s.convMsgs[m.ConversationID], m.ID)
	s.messageEventLocked(m)
	return msg, true
}
