package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/store"
)

// CreateAgent implements store.Agents.
func (s *Store) CreateAgent(ctx context.Context, a store.Agent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.ID == "" {
		a.ID = newID()
	}
	if _, ok := s.agents[a.ID]; ok {
		return fmt.Errorf("memstore: agent %q: %w", a.ID, store.ErrExists)
	}
	a.Open = 0 // the store counts assignments itself
	a.Teams = slices.Clone(a.Teams)
	s.agents[a.ID] = &a
	return nil
}

// UpdateAgent implements store.Agents.
func (s *Store) UpdateAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	if err := ctx.Err(); err != nil {
		return store.Agent{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.agents[a.ID]
	if !ok {
		return store.Agent{}, fmt.Errorf("memstore: agent %q: %w", a.ID, store.ErrNotFound)
	}
	cur.Name = a.Name
	cur.Capacity = a.Capacity
	cur.Teams = slices.Clone(a.Teams)
	cur.UpdatedAt = a.UpdatedAt
	return copyAgent(cur), nil
}

// SetAgentStatus implements store.Agents.
func (s *Store) SetAgentStatus(ctx context.Context, id string, st store.AgentStatus, at time.Time) (store.Agent, error) {
	if err := ctx.Err(); err != nil {
		return store.Agent{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[id]
	if !ok {
		return store.Agent{}, fmt.Errorf("memstore: agent %q: %w", id, store.ErrNotFound)
	}
	a.Status = st
	a.UpdatedAt = at
	return copyAgent(a), nil
}

// Agent implements store.Agents.
func (s *Store) Agent(ctx context.Context, id string) (store.Agent, error) {
	if err := ctx.Err(); err != nil {
		return store.Agent{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[id]
	if !ok {
		return store.Agent{}, fmt.Errorf("memstore: agent %q: %w", id, store.ErrNotFound)
	}
	return copyAgent(a), nil
}

// ListAgents implements store.Agents.
func (s *Store) ListAgents(ctx context.Context, ids []string) ([]store.Agent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Agent
	if ids == nil {
		out = make([]store.Agent, 0, len(s.agents))
		for _, a := range s.agents {
			out = append(out, copyAgent(a))
		}
	} else {
		seen := make(map[string]bool, len(ids))
		for _, id := range ids {
			if a, ok := s.agents[id]; ok && !seen[id] {
				seen[id] = true
				out = append(out, copyAgent(a))
			}
		}
	}
	slices.SortFunc(out, func(a, b store.Agent) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteAgent implements store.Agents.
func (s *Store) DeleteAgent(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.agents[id]; !ok {
		return fmt.Errorf("memstore: agent %q: %w", id, store.ErrNotFound)
	}
	delete(s.agents, id)
	s.dropMemberLocked(id)
	return nil
}

// copyAgent returns a copy that shares nothing with the stored agent.
func copyAgent(a *store.Agent) store.Agent {
	c := *a
	c.Teams = slices.Clone(a.Teams)
	return c
}

// releaseAgentLocked gives back one unit of an agent's capacity. A deleted
// agent has nothing to give back; the floor at zero keeps a re-created
// agent (whose count restarted) from going negative.
func (s *Store) releaseAgentLocked(id string) {
	if a := s.agents[id]; a != nil && a.Open > 0 {
		a.Open--
	}
}
