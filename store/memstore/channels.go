package memstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// members is a channel's membership, kept apart from its settings.
type members struct {
	agents []string
	ai     []channel.AIAgentRef
}

// CreateChannel implements store.Channels.
func (s *Store) CreateChannel(ctx context.Context, ch channel.Channel) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[ch.ID]; ok {
		return fmt.Errorf("memstore: channel %q: %w", ch.ID, store.ErrExists)
	}
	a := &ch.Settings.Assignment
	s.members[ch.ID] = &members{agents: slices.Clone(a.Agents), ai: slices.Clone(a.AIAgents)}
	a.Agents, a.AIAgents = nil, nil
	s.seq++
	s.channels[ch.ID] = ch
	s.chanSeq[ch.ID] = s.seq
	return nil
}

// UpdateChannel implements store.Channels.
func (s *Store) UpdateChannel(ctx context.Context, ch channel.Channel) (channel.Channel, error) {
	if err := ctx.Err(); err != nil {
		return channel.Channel{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.channels[ch.ID]
	if !ok {
		return channel.Channel{}, fmt.Errorf("memstore: channel %q: %w", ch.ID, store.ErrNotFound)
	}
	if ch.Version != old.Version {
		return channel.Channel{}, fmt.Errorf("memstore: channel %q is at version %d, the update is based on version %d: %w",
			ch.ID, old.Version, ch.Version, store.ErrConflict)
	}
	ch.Version++
	ch.Settings.Assignment.Agents, ch.Settings.Assignment.AIAgents = nil, nil
	s.channels[ch.ID] = ch
	return s.channelLocked(ch.ID), nil
}

// channelLocked returns a stored channel with its members, in slices of
// the caller's own.
func (s *Store) channelLocked(id string) channel.Channel {
	ch := s.channels[id]
	if m := s.members[id]; m != nil {
		ch.Settings.Assignment.Agents = slices.Clone(m.agents)
		ch.Settings.Assignment.AIAgents = slices.Clone(m.ai)
	}
	return ch
}

// Channel implements store.Channels.
func (s *Store) Channel(ctx context.Context, id string) (channel.Channel, error) {
	if err := ctx.Err(); err != nil {
		return channel.Channel{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[id]; !ok {
		return channel.Channel{}, fmt.Errorf("memstore: channel %q: %w", id, store.ErrNotFound)
	}
	return s.channelLocked(id), nil
}

// ListChannels implements store.Channels.
func (s *Store) ListChannels(ctx context.Context) ([]channel.Channel, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]channel.Channel, 0, len(s.channels))
	for id := range s.channels {
		out = append(out, s.channelLocked(id))
	}
	sortByCreated(out, func(c channel.Channel) int64 { return s.chanSeq[c.ID] })
	return out, nil
}

// DeleteChannel implements store.Channels.
func (s *Store) DeleteChannel(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[id]; !ok {
		return fmt.Errorf("memstore: channel %q: %w", id, store.ErrNotFound)
	}
	delete(s.channels, id)
	delete(s.chanSeq, id)
	delete(s.members, id)
	return nil
}

// ChangeMember implements store.Members.
func (s *Store) ChangeMember(ctx context.Context, c store.MemberChange, _ time.Time) (channel.Channel, error) {
	if err := ctx.Err(); err != nil {
		return channel.Channel{}, err
	}
	if err := store.CheckMemberChange(c); err != nil {
		return channel.Channel{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[c.ChannelID]; !ok {
		return channel.Channel{}, fmt.Errorf("memstore: channel %q: %w", c.ChannelID, store.ErrNotFound)
	}
	m := s.members[c.ChannelID]
	if m == nil {
		m = &members{}
		s.members[c.ChannelID] = m
	}
	if c.AgentID != "" {
		switch c.Op {
		case store.MemberAdd:
			if _, ok := s.agents[c.AgentID]; !ok {
				return channel.Channel{}, fmt.Errorf("memstore: agent %q: %w", c.AgentID, store.ErrNotFound)
			}
			if !slices.Contains(m.agents, c.AgentID) {
				m.agents = append(m.agents, c.AgentID)
			}
		case store.MemberRemove:
			m.agents = slices.DeleteFunc(m.agents, func(id string) bool { return id == c.AgentID })
		}
		return s.channelLocked(c.ChannelID), nil
	}
	i := slices.IndexFunc(m.ai, func(r channel.AIAgentRef) bool { return r.ID == c.AIAgentID })
	switch {
	case c.Op == store.MemberRemove:
		if i >= 0 {
			m.ai = slices.Delete(m.ai, i, i+1)
		}
	case i >= 0:
		m.ai[i].Enabled = c.Enabled
	case c.Op == store.MemberEnable:
		return channel.Channel{}, fmt.Errorf("memstore: AI agent %q is not on channel %q: %w", c.AIAgentID, c.ChannelID, store.ErrNotFound)
	default:
		m.ai = append(m.ai, channel.AIAgentRef{ID: c.AIAgentID, Enabled: c.Enabled})
	}
	return s.channelLocked(c.ChannelID), nil
}

// dropMemberLocked removes a deleted agent from every channel.
func (s *Store) dropMemberLocked(agentID string) {
	for _, m := range s.members {
		m.agents = slices.DeleteFunc(m.agents, func(id string) bool { return id == agentID })
	}
}
