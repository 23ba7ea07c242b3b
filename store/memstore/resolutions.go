package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// Resolve implements store.Resolutions. Everything that can fail is
// checked before anything changes, so an error leaves the store as it was.
// A survey message whose Key is taken is ErrExists: queuing nothing would
// leave the survey without its question.
func (s *Store) Resolve(ctx context.Context, r store.ResolveRequest) (store.Conversation, *store.Survey, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, ok := s.convs[r.ConversationID]
	if !ok {
		return store.Conversation{}, nil, fmt.Errorf("memstore: conversation %q: %w", r.ConversationID, store.ErrNotFound)
	}
	if conv.Status != store.StatusOpen {
		return store.Conversation{}, nil, fmt.Errorf("memstore: resolving conversation %q (%s): %w", conv.ID, conv.Status, store.ErrNotOpen)
	}
	if r.Survey != nil && r.Survey.ID != "" {
		if _, ok := s.surveys[r.Survey.ID]; ok {
			return store.Conversation{}, nil, fmt.Errorf("memstore: survey %q: %w", r.Survey.ID, store.ErrExists)
		}
	}
	if r.SurveyMessage != nil && r.SurveyMessage.Key != "" {
		if _, ok := s.msgByKey[r.SurveyMessage.Key]; ok {
			return store.Conversation{}, nil, fmt.Errorf("memstore: survey message key %q: %w", r.SurveyMessage.Key, store.ErrExists)
		}
	}

	conv.Status = store.StatusResolved
	conv.ResolvedAt = r.At
	conv.Resolutions++
	conv.QueuedAt = time.Time{}
	touch(conv, r.At)
	if conv.AssigneeID != "" {
		s.releaseAgentLocked(conv.AssigneeID)
	}
	if s.openConv[conv.ContactID] == conv.ID {
		delete(s.openConv, conv.ContactID)
	}
	s.dropAITurnLocked(conv) // nobody answers a resolved conversation

	var msgID string
	if r.SurveyMessage != nil {
		m := *r.SurveyMessage
		m.ConversationID = conv.ID
		queued, _ := s.enqueueLocked(m, r.At)
		msgID = queued.ID
	}
	if r.Survey == nil {
		return *conv, nil, nil
	}
	sv := *r.Survey
	if sv.ID == "" {
		sv.ID = newID()
	}
	sv.ChannelID, sv.ConversationID, sv.ContactID = conv.ChannelID, conv.ID, conv.ContactID
	sv.Resolution = conv.Resolutions
	sv.AgentID, sv.AIAgentID = conv.AssigneeID, conv.AIAgentID
	if msgID != "" {
		sv.MessageID = msgID
	}
	s.seq++
	s.surveys[sv.ID] = &sv
	s.surveyList = append(s.surveyList, &sv)
	s.surveySeq[sv.ID] = s.seq
	s.contactSurveys[sv.ContactID] = append(s.contactSurveys[sv.ContactID], sv.ID)
	out := sv
	return *conv, &out, nil
}

// Reopen implements store.Resolutions. The reopened conversation starts
// over in the channel's pool (QueueTarget cleared) with no owner; the
// agents' Open counts were already given back by Resolve. AIHandedOff is
// kept: an AI agent that gave up is not asked again.
func (s *Store) Reopen(ctx context.Context, conversationID string, at time.Time) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(conversationID)
	if err != nil {
		return store.Conversation{}, err
	}
	if conv.Status != store.StatusResolved {
		return store.Conversation{}, fmt.Errorf("memstore: reopening conversation %q (%s): %w", conv.ID, conv.Status, store.ErrNotOpen)
	}
	if other, ok := s.openConv[conv.ContactID]; ok && other != conv.ID {
		return store.Conversation{}, fmt.Errorf("memstore: reopening conversation %q: contact %q has conversation %q open: %w",
			conv.ID, conv.ContactID, other, store.ErrOtherOpen)
	}
	conv.Status = store.StatusOpen
	conv.ResolvedAt = time.Time{}
	conv.AssigneeID, conv.AIAgentID = "", ""
	conv.QueuedAt, conv.QueueTarget = at, routing.Target{}
	touch(conv, at)
	s.openConv[conv.ContactID] = conv.ID
	return *conv, nil
}
