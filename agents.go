package livedesk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// ErrUnknownAIAgent is returned when adding an AI agent to a channel that
// the desk has no implementation for (Options.AIAgents).
var ErrUnknownAIAgent = errors.New("livedesk: unknown AI agent")

// ErrBadAgent is matched by errors about an agent's fields.
var ErrBadAgent = errors.New("livedesk: bad agent")

// CreateAgent stores a human agent. ID is required (your user ID, say);
// Status defaults to offline, Capacity 0 means unlimited. Add the agent to
// channels with AddAgent.
func (d *Desk) CreateAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	if a.Status == "" {
		a.Status = store.AgentOffline
	}
	if err := validateAgent(a); err != nil {
		return store.Agent{}, err
	}
	now := d.clock.Now()
	a.Open, a.CreatedAt, a.UpdatedAt = 0, now, now
	if err := d.store.CreateAgent(ctx, a); err != nil {
		return store.Agent{}, fmt.Errorf("livedesk: create agent %q: %w", a.ID, err)
	}
	return d.store.Agent(ctx, a.ID)
}

func validateAgent(a store.Agent) error {
	var problems []string
	if !channel.ValidID(a.ID) {
		problems = append(problems, fmt.Sprintf("ID %q must be 1 to 64 letters, digits, '-' or '_'", a.ID))
	}
	if strings.TrimSpace(a.Name) == "" {
		problems = append(problems, "Name is required")
	}
	if a.Capacity < 0 {
		problems = append(problems, fmt.Sprintf("Capacity %d must be 0 (unlimited) or more", a.Capacity))
	}
	switch a.Status {
	case store.AgentOnline, store.AgentAway, store.AgentOffline:
	default:
		problems = append(problems, fmt.Sprintf("Status %q must be online, away or offline", a.Status))
	}
	for _, t := range a.Teams {
		if strings.TrimSpace(t) == "" {
			problems = append(problems, "Teams must not contain an empty name")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadAgent, strings.Join(problems, "; "))
}

// UpdateAgent changes an agent's name, capacity and teams (use
// SetAgentStatus for the status). A raised capacity lets waiting
// conversations be assigned at once.
func (d *Desk) UpdateAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	if a.Status == "" {
		a.Status = store.AgentOffline // not changed by UpdateAgent; only validated
	}
	if err := validateAgent(a); err != nil {
		return store.Agent{}, err
	}
	a.UpdatedAt = d.clock.Now()
	got, err := d.store.UpdateAgent(ctx, a)
	if err != nil {
		return store.Agent{}, fmt.Errorf("livedesk: update agent %q: %w", a.ID, err)
	}
	d.wake()
	return got, nil
}

// SetAgentStatus sets an agent online, away or offline. Coming online lets
// waiting conversations be assigned at once. Going away or offline stops new
// assignments; on channels with RequeueOffline, going offline also puts the
// agent's open conversations back in the queue for others.
func (d *Desk) SetAgentStatus(ctx context.Context, agentID string, status store.AgentStatus) (store.Agent, error) {
	switch status {
	case store.AgentOnline, store.AgentAway, store.AgentOffline:
	default:
		return store.Agent{}, fmt.Errorf("%w: status %q must be online, away or offline", ErrBadAgent, status)
	}
	a, err := d.store.SetAgentStatus(ctx, agentID, status, d.clock.Now())
	if err != nil {
		return store.Agent{}, fmt.Errorf("livedesk: agent %q status: %w", agentID, err)
	}
	if status == store.AgentOffline {
		if err := d.requeueOffline(ctx, agentID); err != nil {
			return a, err
		}
	}
	d.wake()
	return a, nil
}

// requeueOffline unassigns an offline agent's open conversations on the
// channels that ask for it.
func (d *Desk) requeueOffline(ctx context.Context, agentID string) error {
	convs, err := d.store.ListConversations(ctx, store.ConversationFilter{AssigneeID: agentID, Status: store.StatusOpen})
	if err != nil {
		return fmt.Errorf("livedesk: requeue agent %q: %w", agentID, err)
	}
	for _, c := range convs {
		e, err := d.channels.get(ctx, c.ChannelID)
		if err != nil || !e.ch.Settings.Assignment.RequeueOffline {
			continue
		}
		if _, err := d.unassign(ctx, c.ID, "agent went offline"); err != nil {
			return err
		}
	}
	return nil
}

// Agent returns an agent with its current load, or ErrNotFound.
func (d *Desk) Agent(ctx context.Context, id string) (store.Agent, error) {
	a, err := d.store.Agent(ctx, id)
	if err != nil {
		return store.Agent{}, fmt.Errorf("livedesk: agent %q: %w", id, err)
	}
	return a, nil
}

// Agents returns every agent, by ID.
func (d *Desk) Agents(ctx context.Context) ([]store.Agent, error) {
	as, err := d.store.ListAgents(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("livedesk: agents: %w", err)
	}
	return as, nil
}

// DeleteAgent removes an agent. Remove it from channels first; its
// conversations keep its ID.
func (d *Desk) DeleteAgent(ctx context.Context, id string) error {
	if err := d.store.DeleteAgent(ctx, id); err != nil {
		return fmt.Errorf("livedesk: delete agent %q: %w", id, err)
	}
	return nil
}

// AddAgent makes a human agent serve a channel.
func (d *Desk) AddAgent(ctx context.Context, channelID, agentID string) error {
	if _, err := d.store.Agent(ctx, agentID); err != nil {
		return fmt.Errorf("livedesk: add agent %q: %w", agentID, err)
	}
	return d.editAssignment(ctx, channelID, func(a *channel.Assignment) {
		if !a.HasAgent(agentID) {
			a.Agents = append(a.Agents, agentID)
		}
	})
}

// RemoveAgent stops a human agent serving a channel; the conversations
// already assigned stay with them.
func (d *Desk) RemoveAgent(ctx context.Context, channelID, agentID string) error {
	return d.editAssignment(ctx, channelID, func(a *channel.Assignment) {
		a.Agents = slices.DeleteFunc(a.Agents, func(id string) bool { return id == agentID })
	})
}

// AddAIAgent adds an AI agent (one of Options.AIAgents) to a channel,
// enabled or not.
func (d *Desk) AddAIAgent(ctx context.Context, channelID, aiAgentID string, enabled bool) error {
	if _, ok := d.aiAgents[aiAgentID]; !ok {
		return fmt.Errorf("%w %q: give its implementation in Options.AIAgents", ErrUnknownAIAgent, aiAgentID)
	}
	return d.editAssignment(ctx, channelID, func(a *channel.Assignment) {
		for i := range a.AIAgents {
			if a.AIAgents[i].ID == aiAgentID {
				a.AIAgents[i].Enabled = enabled
				return
			}
		}
		a.AIAgents = append(a.AIAgents, channel.AIAgentRef{ID: aiAgentID, Enabled: enabled})
	})
}

// EnableAIAgent enables or disables an AI agent on a channel. Disabling it
// stops it taking new conversations; those it owns stay with it until it
// hands them off.
func (d *Desk) EnableAIAgent(ctx context.Context, channelID, aiAgentID string, enabled bool) error {
	found := false
	err := d.editAssignment(ctx, channelID, func(a *channel.Assignment) {
		for i := range a.AIAgents {
			if a.AIAgents[i].ID == aiAgentID {
				a.AIAgents[i].Enabled, found = enabled, true
			}
		}
	})
	if err == nil && !found {
		return fmt.Errorf("livedesk: AI agent %q is not on channel %q: %w", aiAgentID, channelID, ErrNotFound)
	}
	return err
}

// RemoveAIAgent removes an AI agent from a channel.
func (d *Desk) RemoveAIAgent(ctx context.Context, channelID, aiAgentID string) error {
	return d.editAssignment(ctx, channelID, func(a *channel.Assignment) {
		a.AIAgents = slices.DeleteFunc(a.AIAgents, func(r channel.AIAgentRef) bool { return r.ID == aiAgentID })
	})
}

// editAssignment changes a channel's assignment settings.
func (d *Desk) editAssignment(ctx context.Context, channelID string, edit func(*channel.Assignment)) error {
	ch, err := d.store.Channel(ctx, channelID)
	if err != nil {
		return fmt.Errorf("livedesk: channel %q: %w", channelID, err)
	}
	edit(&ch.Settings.Assignment)
	if _, err := d.UpdateChannel(ctx, ch); err != nil {
		return err
	}
	d.wake()
	return nil
}

// Assign gives a conversation to a human agent by hand, whatever its
// status, within the agent's capacity (store.ErrAgentFull). A conversation
// owned by another agent or an AI agent is taken from it first.
func (d *Desk) Assign(ctx context.Context, conversationID, agentID string) (store.Conversation, error) {
	conv, err := d.store.Conversation(ctx, conversationID)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: assign %q: %w", conversationID, err)
	}
	switch {
	case conv.AssigneeID == agentID:
		return conv, nil
	case conv.AssigneeID != "":
		if _, err := d.unassign(ctx, conv.ID, "reassigned to "+agentID); err != nil {
			return store.Conversation{}, err
		}
	case conv.AIAgentID != "":
		if _, err := d.store.HandOff(ctx, conv.ID, targetAgent+agentID, d.clock.Now()); err != nil {
			return store.Conversation{}, fmt.Errorf("livedesk: assign %q: %w", conversationID, err)
		}
	}
	c, err := d.store.ClaimAssignment(ctx, store.AssignRequest{ConversationID: conv.ID, AgentID: agentID, At: d.clock.Now(), Force: true})
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: assign %q to %q: %w", conversationID, agentID, err)
	}
	d.emit(ctx, Event{Type: EventAssigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID, AgentID: agentID, Reason: "manual"})
	return c, nil
}

// Unassign takes a conversation from its human agent; it waits in the queue
// for the next available one.
func (d *Desk) Unassign(ctx context.Context, conversationID string) (store.Conversation, error) {
	return d.unassign(ctx, conversationID, "manual")
}

func (d *Desk) unassign(ctx context.Context, conversationID, reason string) (store.Conversation, error) {
	before, err := d.store.Conversation(ctx, conversationID)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: unassign %q: %w", conversationID, err)
	}
	c, err := d.store.Unassign(ctx, conversationID, d.clock.Now())
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: unassign %q: %w", conversationID, err)
	}
	if before.AssigneeID != "" {
		d.emit(ctx, Event{Type: EventUnassigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
			AgentID: before.AssigneeID, Reason: reason})
	}
	d.wake()
	return c, nil
}
