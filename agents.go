package livedesk

import (
	"context"
	"errors"
	"fmt"
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
		// Only if the agent still owns it: one taken by someone else or
		// resolved meanwhile is left alone.
		_, err = d.unassign(ctx, c, "agent went offline")
		if err != nil && !errors.Is(err, store.ErrAssigned) && !errors.Is(err, store.ErrNotOpen) {
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

// AddAgent makes a human agent serve a channel. It is one atomic store
// change: concurrent calls never lose one another, and UpdateChannel never
// drops a member (membership is not part of a channel's settings).
func (d *Desk) AddAgent(ctx context.Context, channelID, agentID string) error {
	return d.changeMember(ctx, store.MemberChange{ChannelID: channelID, AgentID: agentID, Op: store.MemberAdd})
}

// RemoveAgent stops a human agent serving a channel; the conversations
// already assigned stay with them.
func (d *Desk) RemoveAgent(ctx context.Context, channelID, agentID string) error {
	return d.changeMember(ctx, store.MemberChange{ChannelID: channelID, AgentID: agentID, Op: store.MemberRemove})
}

// AddAIAgent adds an AI agent (one of Options.AIAgents) to a channel,
// enabled or not; for one already there it sets the enabled flag.
func (d *Desk) AddAIAgent(ctx context.Context, channelID, aiAgentID string, enabled bool) error {
	if _, ok := d.aiAgents[aiAgentID]; !ok {
		return fmt.Errorf("%w %q: give its implementation in Options.AIAgents", ErrUnknownAIAgent, aiAgentID)
	}
	return d.changeMember(ctx, store.MemberChange{ChannelID: channelID, AIAgentID: aiAgentID, Op: store.MemberAdd, Enabled: enabled})
}

// EnableAIAgent enables or disables an AI agent on a channel. Disabling it
// stops it taking new conversations; those it owns stay with it until it
// hands them off. An AI agent not on the channel is ErrNotFound.
func (d *Desk) EnableAIAgent(ctx context.Context, channelID, aiAgentID string, enabled bool) error {
	return d.changeMember(ctx, store.MemberChange{ChannelID: channelID, AIAgentID: aiAgentID, Op: store.MemberEnable, Enabled: enabled})
}

// RemoveAIAgent removes an AI agent from a channel.
func (d *Desk) RemoveAIAgent(ctx context.Context, channelID, aiAgentID string) error {
	return d.changeMember(ctx, store.MemberChange{ChannelID: channelID, AIAgentID: aiAgentID, Op: store.MemberRemove})
}

// changeMember applies one membership change and refreshes the cache.
func (d *Desk) changeMember(ctx context.Context, c store.MemberChange) error {
	who := c.AgentID
	if who == "" {
		who = c.AIAgentID
	}
	ch, err := d.store.ChangeMember(ctx, c, d.clock.Now())
	if err != nil {
		return fmt.Errorf("livedesk: %s %q on channel %q: %w", c.Op, who, c.ChannelID, err)
	}
	d.channels.put(ch)
	d.wake()
	return nil
}

// Assign gives a conversation to a human agent by hand, whatever the
// agent's status, within the agent's capacity (store.ErrAgentFull). A
// conversation owned by another agent or an AI agent is taken from it in
// the same atomic step: when the assignment fails nothing changes (owner,
// place in the queue, AI hand-off flag).
func (d *Desk) Assign(ctx context.Context, conversationID, agentID string) (store.Conversation, error) {
	for range ownerRetries {
		conv, err := d.store.Conversation(ctx, conversationID)
		if err != nil {
			return store.Conversation{}, fmt.Errorf("livedesk: assign %q: %w", conversationID, err)
		}
		if conv.AssigneeID == agentID && conv.Status == store.StatusOpen {
			return conv, nil
		}
		from := conv.Owner()
		c, err := d.store.ChangeOwner(ctx, store.OwnerChange{ConversationID: conv.ID, From: from,
			To: store.Owner{AgentID: agentID}, Force: true, At: d.clock.Now()})
		if errors.Is(err, store.ErrAssigned) {
			continue // its owner changed since we read it: read again
		}
		if err != nil {
			return store.Conversation{}, fmt.Errorf("livedesk: assign %q to %q: %w", conversationID, agentID, err)
		}
		switch {
		case from.AgentID != "":
			d.emit(ctx, Event{Type: EventUnassigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
				AgentID: from.AgentID, Reason: "reassigned to " + agentID})
		case from.AIAgentID != "":
			d.emit(ctx, Event{Type: EventHandedOff, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
				AIAgentID: from.AIAgentID, Reason: "assigned to " + agentID + " by hand"})
		}
		d.emit(ctx, Event{Type: EventAssigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID, AgentID: agentID, Reason: "manual"})
		d.wake()
		return c, nil
	}
	return store.Conversation{}, fmt.Errorf("livedesk: assign %q to %q: its owner kept changing: %w", conversationID, agentID, store.ErrAssigned)
}

// ownerRetries bounds how often a desk operation re-reads a conversation
// whose owner changed under it before giving up.
const ownerRetries = 5

// Unassign takes a conversation from its human agent; it waits in the queue
// for the next available one. A conversation with no human owner is
// returned unchanged.
func (d *Desk) Unassign(ctx context.Context, conversationID string) (store.Conversation, error) {
	for range ownerRetries {
		conv, err := d.store.Conversation(ctx, conversationID)
		if err != nil {
			return store.Conversation{}, fmt.Errorf("livedesk: unassign %q: %w", conversationID, err)
		}
		if conv.AssigneeID == "" || conv.Status != store.StatusOpen {
			return conv, nil
		}
		c, err := d.unassign(ctx, conv, "manual")
		if !errors.Is(err, store.ErrAssigned) {
			return c, err
		}
	}
	return store.Conversation{}, fmt.Errorf("livedesk: unassign %q: its owner kept changing: %w", conversationID, store.ErrAssigned)
}

// unassign takes conv from the human agent that owns it as read, keeping
// its queue target; ErrAssigned if its owner changed since.
func (d *Desk) unassign(ctx context.Context, conv store.Conversation, reason string) (store.Conversation, error) {
	c, err := d.store.ChangeOwner(ctx, store.OwnerChange{ConversationID: conv.ID, From: store.Owner{AgentID: conv.AssigneeID},
		Queue: conv.QueueTarget, At: d.clock.Now()})
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: unassign %q: %w", conv.ID, err)
	}
	d.emit(ctx, Event{Type: EventUnassigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
		AgentID: conv.AssigneeID, Reason: reason})
	d.wake()
	return c, nil
}
