package memstore

import (
	"context"
	"fmt"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// CreateChannel implements store.Channels.
func (s *Store) CreateChannel(_ context.Context, ch channel.Channel) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[ch.ID]; ok {
		return fmt.Errorf("memstore: channel %q: %w", ch.ID, store.ErrExists)
	}
	s.seq++
	s.channels[ch.ID] = ch
	s.chanSeq[ch.ID] = s.seq
	return nil
}

// UpdateChannel implements store.Channels.
func (s *Store) UpdateChannel(_ context.Context, ch channel.Channel) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[ch.ID]; !ok {
		return fmt.Errorf("memstore: channel %q: %w", ch.ID, store.ErrNotFound)
	}
	s.channels[ch.ID] = ch
	return nil
}

// Channel implements store.Channels.
func (s *Store) Channel(_ context.Context, id string) (channel.Channel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.channels[id]
	if !ok {
		return channel.Channel{}, fmt.Errorf("memstore: channel %q: %w", id, store.ErrNotFound)
	}
	return ch, nil
}

// ListChannels implements store.Channels.
func (s *Store) ListChannels(_ context.Context) ([]channel.Channel, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]channel.Channel, 0, len(s.channels))
	for _, ch := range s.channels {
		out = append(out, ch)
	}
	sortByCreated(out, func(c channel.Channel) int64 { return s.chanSeq[c.ID] })
	return out, nil
}

// DeleteChannel implements store.Channels.
func (s *Store) DeleteChannel(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[id]; !ok {
		return fmt.Errorf("memstore: channel %q: %w", id, store.ErrNotFound)
	}
	delete(s.channels, id)
	delete(s.chanSeq, id)
	return nil
}
