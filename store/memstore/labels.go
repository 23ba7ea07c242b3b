package memstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/store"
)

// AddLabel implements store.Labels.
func (s *Store) AddLabel(ctx context.Context, conversationID, label string, _ time.Time) (bool, error) {
	if err := store.CheckLabel(label); err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.convLocked(conversationID); err != nil {
		return false, err
	}
	ls := s.labels[conversationID]
	i, found := slices.BinarySearch(ls, label)
	if found {
		return false, nil
	}
	if s.labels == nil {
		s.labels = map[string][]string{}
	}
	s.labels[conversationID] = slices.Insert(ls, i, label)
	return true, nil
}

// RemoveLabel implements store.Labels.
func (s *Store) RemoveLabel(ctx context.Context, conversationID, label string) (bool, error) {
	if err := store.CheckLabel(label); err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.convLocked(conversationID); err != nil {
		return false, err
	}
	ls := s.labels[conversationID]
	i, found := slices.BinarySearch(ls, label)
	if !found {
		return false, nil
	}
	// A new slice: pages already returned share the old one.
	s.labels[conversationID] = slices.Delete(slices.Clone(ls), i, i+1)
	return true, nil
}

// Labels implements store.Labels.
func (s *Store) Labels(ctx context.Context, conversationID string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.convLocked(conversationID); err != nil {
		return nil, fmt.Errorf("memstore: labels: %w", err)
	}
	return append([]string{}, s.labels[conversationID]...), nil
}

// AddNote implements store.Notes.
func (s *Store) AddNote(ctx context.Context, note store.Message, at time.Time) (store.Message, bool, error) {
	if err := store.CheckNote(note); err != nil {
		return store.Message{}, false, err
	}
	if err := ctx.Err(); err != nil {
		return store.Message{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(note.ConversationID)
	if err != nil {
		return store.Message{}, false, err
	}
	if id, ok := s.msgByKey[note.Key]; ok && note.Key != "" {
		return *s.msgs[id], false, nil
	}
	m := store.Message{
		ID: note.ID, ChannelID: conv.ChannelID, ConversationID: conv.ID, ContactID: conv.ContactID,
		Direction: store.Internal, Kind: store.KindNote, Text: note.Text, AuthorID: note.AuthorID,
		Key: note.Key, CreatedAt: at,
	}
	if m.ID == "" {
		m.ID = newID()
	}
	s.msgs[m.ID] = &m
	if m.Key != "" {
		s.msgByKey[m.Key] = m.ID
	}
	s.convMsgs[m.ConversationID] = append(s.convMsgs[m.ConversationID], m.ID)
	return m, true, nil
}
