package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/store"
)

// RecordInbound implements store.Inbox.
func (s *Store) RecordInbound(ctx context.Context, rec store.InboundRecord) (store.InboundResult, error) {
	if err := ctx.Err(); err != nil {
		return store.InboundResult{}, err
	}
	if err := rec.Check(); err != nil {
		return store.InboundResult{}, fmt.Errorf("memstore: record inbound: %w", err)
	}
	in := rec.Message
	phone := in.Phone()
	s.mu.Lock()
	defer s.mu.Unlock()

	if id, ok := s.msgBySID[pair{rec.ChannelID, in.MessageSID}]; ok {
		m := s.msgs[id]
		return store.InboundResult{
			Duplicate:    true,
			Message:      *m,
			Contact:      cloneContact(s.contacts[m.ContactID]),
			Conversation: *s.convs[m.ConversationID],
		}, nil
	}
	var res store.InboundResult

	contact := s.contacts[s.contactByPhone[pair{rec.ChannelID, phone}]]
	if contact == nil {
		contact = &store.Contact{ID: newID(), ChannelID: rec.ChannelID, Phone: phone, CreatedAt: rec.ReceivedAt}
		s.contacts[contact.ID] = contact
		s.contactByPhone[pair{rec.ChannelID, phone}] = contact.ID
		res.NewContact = true
	}
	if in.WaID != "" {
		contact.WaID = in.WaID
	}
	if in.ProfileName != "" {
		contact.ProfileName = in.ProfileName
	}
	if rec.ReceivedAt.After(contact.LastInboundAt) {
		contact.LastInboundAt = rec.ReceivedAt
	}

	// A survey answer joins the survey's conversation (resolved, usually)
	// instead of opening a new one.
	var conv *store.Conversation
	surveyID := ""
	if sv := s.openSurveyLocked(contact.ID, rec.Answer.SurveyID, rec.ReceivedAt); sv != nil {
		res.SurveyOutcome = answerSurvey(sv, rec, in.Text())
		answered := *sv
		res.Survey = &answered
		if res.SurveyOutcome != store.SurveyIgnored {
			conv = s.convs[sv.ConversationID]
			surveyID = sv.ID
		}
	}
	if conv == nil {
		conv = s.convs[s.openConv[contact.ID]]
	}
	if conv == nil {
		conv = &store.Conversation{
			ID: newID(), ChannelID: rec.ChannelID, ContactID: contact.ID, Status: store.StatusOpen,
			Sender: trimWhatsApp(in.To), CreatedAt: rec.ReceivedAt,
		}
		s.convs[conv.ID] = conv
		s.convList = append(s.convList, conv.ID)
		s.openConv[contact.ID] = conv.ID
		res.NewConversation = true
		s.appendEventLocked(store.Event{Type: store.EventConversationOpened, At: rec.ReceivedAt,
			ChannelID: conv.ChannelID, ConversationID: conv.ID, ContactID: contact.ID})
	}
	if rec.ReceivedAt.After(conv.LastInboundAt) {
		conv.LastInboundAt = rec.ReceivedAt
	}
	if rec.ReceivedAt.After(conv.UpdatedAt) {
		conv.UpdatedAt = rec.ReceivedAt
	}

	msg := &store.Message{
		ID: newID(), ChannelID: rec.ChannelID, ConversationID: conv.ID, ContactID: contact.ID,
		Direction: store.Inbound, Kind: store.KindCustomer, SID: in.MessageSID, Text: in.Text(),
		Inbound: &in, CreatedAt: rec.ReceivedAt, SurveyID: surveyID,
		NewContact: res.NewContact, Opened: res.NewConversation, SurveyOutcome: res.SurveyOutcome,
	}
	s.msgs[msg.ID] = msg
	s.msgBySID[pair{rec.ChannelID, in.MessageSID}] = msg.ID
	s.convMsgs[conv.ID] = append(s.convMsgs[conv.ID], msg.ID)
	s.unprocessed[msg.ID] = struct{}{}
	s.messageEventLocked(msg)

	res.Message, res.Contact, res.Conversation = *msg, cloneContact(contact), *conv
	return res, nil
}

func trimWhatsApp(addr string) string {
	const prefix = "whatsapp:"
	if len(addr) > len(prefix) && addr[:len(prefix)] == prefix {
		return addr[len(prefix):]
	}
	return addr
}

// FinishInbound implements store.Inbox.
func (s *Store) FinishInbound(ctx context.Context, messageID string, queue []store.Message, at time.Time) ([]store.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.msgs[messageID]
	if !ok || m.Direction != store.Inbound {
		return nil, fmt.Errorf("memstore: inbound message %q: %w", messageID, store.ErrNotFound)
	}
	for _, q := range queue {
		if _, ok := s.convs[q.ConversationID]; !ok {
			return nil, fmt.Errorf("memstore: conversation %q: %w", q.ConversationID, store.ErrNotFound)
		}
	}
	var queued []store.Message
	for _, q := range queue {
		if msg, created := s.enqueueLocked(q, at); created {
			queued = append(queued, msg)
		}
	}
	m.Processed = true
	delete(s.unprocessed, messageID)
	return queued, nil
}

// UnprocessedInbound implements store.Inbox.
func (s *Store) UnprocessedInbound(ctx context.Context, before time.Time, limit int) ([]store.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]store.Message, 0, len(s.unprocessed))
	for id := range s.unprocessed {
		if m := s.msgs[id]; m.CreatedAt.Before(before) {
			out = append(out, *m)
		}
	}
	sortMessages(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
