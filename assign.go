package livedesk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// Queue targets: who a waiting conversation waits for.
const (
	targetTeam  = "team:"
	targetAgent = "agent:"
)

// route gives an unowned conversation its owner when a customer writes:
// routing rules, then an enabled AI agent, then the channel's human agents;
// when nobody is available it waits in the queue. A conversation already
// waiting in the queue is left to Run's queue drain, which serves the
// oldest first. It returns the conversation as it is afterwards.
func (d *Desk) route(ctx context.Context, e *channelEntry, res store.InboundResult) (store.Conversation, error) {
	conv := res.Conversation
	if conv.Status != store.StatusOpen || conv.AssigneeID != "" || conv.AIAgentID != "" || !conv.QueuedAt.IsZero() {
		return conv, nil
	}
	ai := ""
	if !conv.AIHandedOff {
		ai = d.enabledAI(&e.ch)
	}
	in := &res.Message
	dec := e.router.Route(d.routingInput(e, res, in), ai)
	target := ""
	switch t := dec.Target; {
	case t.AIAgent != "":
		if _, ok := d.aiAgents[t.AIAgent]; ok && !conv.AIHandedOff {
			c, err := d.store.AssignAI(ctx, conv.ID, t.AIAgent, d.clock.Now())
			switch {
			case err == nil:
				d.emit(ctx, Event{Type: EventAssigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
					AIAgentID: t.AIAgent, Reason: dec.Reason()})
				return c, nil
			case !errors.Is(err, store.ErrAssigned):
				return conv, fmt.Errorf("livedesk: assign AI agent %q: %w", t.AIAgent, err)
			}
			return d.store.Conversation(ctx, conv.ID) // someone else routed it
		}
		d.log.Warn("routing chose an AI agent that is not configured or already handed off; using the human pool",
			"channel", e.ch.ID, "ai_agent", t.AIAgent)
	case t.Agent != "":
		target = targetAgent + t.Agent
	case t.Team != "":
		target = targetTeam + t.Team
	}
	c, ok, err := d.assignHuman(ctx, e, conv, target, res.Contact.LastAgentID, dec.Reason())
	if err != nil || ok {
		return c, err
	}
	return d.queue(ctx, conv, target)
}

func (d *Desk) routingInput(e *channelEntry, res store.InboundResult, m *store.Message) routing.Input {
	in := routing.Input{
		ChannelID:    e.ch.ID,
		Text:         m.Text,
		ContactPhone: res.Contact.Phone,
		ProfileName:  res.Contact.ProfileName,
		Attributes:   res.Contact.Attributes,
		Open:         e.schedule == nil || e.schedule.IsOpen(m.CreatedAt),
		NewContact:   res.NewContact,
	}
	if e.router.UsesCountry() {
		in.ContactCountry = channel.Country(res.Contact.Phone)
	}
	if m.Inbound != nil {
		in.MessageType = routingType(m.Inbound.Type)
		in.ButtonPayload = m.Inbound.ButtonPayload
	}
	return in
}

// routingType maps Twilio's message types to the routing package's.
func routingType(t channel.MessageType) string {
	switch t {
	case channel.TypeInteractive, channel.TypeButton:
		return routing.MessageButton
	case channel.TypeContacts:
		return routing.MessageContact
	case channel.TypeReaction:
		return routing.MessageUnknown
	}
	return string(t)
}

// enabledAI is the channel's first enabled AI agent that the desk has an
// implementation for.
func (d *Desk) enabledAI(ch *channel.Channel) string {
	for _, r := range ch.Settings.Assignment.AIAgents {
		if _, ok := d.aiAgents[r.ID]; ok && r.Enabled {
			return r.ID
		}
	}
	return ""
}

// assignHuman tries the target's available agents in the strategy's order
// (the contact's previous agent first when the channel is sticky) and
// claims the first it can. ok is false when nobody could take the
// conversation; the conversation returned is then unchanged.
func (d *Desk) assignHuman(ctx context.Context, e *channelEntry, conv store.Conversation, target, lastAgent, reason string) (store.Conversation, bool, error) {
	cands, err := d.candidates(ctx, e, target)
	if err != nil || len(cands) == 0 {
		return conv, false, err
	}
	cursorKey, cursor := "", ""
	if e.strategy == routing.StrategyRoundRobin {
		cursorKey = "rr:" + e.ch.ID + ":" + target
		if cursor, err = d.store.Cursor(ctx, cursorKey); err != nil {
			return conv, false, fmt.Errorf("livedesk: round-robin cursor: %w", err)
		}
	}
	order := e.assigner.Rank(cands, cursor)
	if e.ch.Settings.Assignment.Sticky && lastAgent != "" {
		if i := slices.IndexFunc(order, func(c routing.Candidate) bool { return c.ID == lastAgent }); i > 0 {
			order = append([]routing.Candidate{order[i]}, slices.Delete(order, i, i+1)...)
			reason = "sticky: previous agent"
		}
	}
	for _, cand := range order {
		c, err := d.store.ClaimAssignment(ctx, store.AssignRequest{ConversationID: conv.ID, AgentID: cand.ID, At: d.clock.Now(), CursorKey: cursorKey})
		switch {
		case err == nil:
			d.emit(ctx, Event{Type: EventAssigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
				AgentID: cand.ID, Reason: reason})
			return c, true, nil
		case errors.Is(err, store.ErrAgentFull), errors.Is(err, store.ErrAgentUnavailable), errors.Is(err, store.ErrNotFound):
			// Filled up, went away or was deleted since we looked: try the
			// next. (If the conversation itself is gone every claim fails
			// and the caller's next step reports it.)
			continue
		case errors.Is(err, store.ErrAssigned):
			c, err := d.store.Conversation(ctx, conv.ID) // someone else assigned it
			return c, err == nil, err
		default:
			return conv, false, fmt.Errorf("livedesk: assign conversation %s: %w", conv.ID, err)
		}
	}
	return conv, false, nil
}

// candidates loads the agents a target may go to: the channel's agents, or
// those of one team, or one agent.
func (d *Desk) candidates(ctx context.Context, e *channelEntry, target string) ([]routing.Candidate, error) {
	ids := e.ch.Settings.Assignment.Agents
	team := ""
	switch {
	case strings.HasPrefix(target, targetAgent):
		ids = []string{strings.TrimPrefix(target, targetAgent)}
	case strings.HasPrefix(target, targetTeam):
		team = strings.TrimPrefix(target, targetTeam)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	agents, err := d.store.ListAgents(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("livedesk: list agents: %w", err)
	}
	cands := make([]routing.Candidate, 0, len(agents))
	for _, a := range agents {
		if team != "" && !slices.Contains(a.Teams, team) {
			continue
		}
		cands = append(cands, routing.Candidate{ID: a.ID, Open: a.Open, Capacity: a.Capacity,
			Online: a.Status == store.AgentOnline, LastAssigned: a.LastAssignedAt})
	}
	return cands, nil
}

// queue puts a conversation in the queue for target.
func (d *Desk) queue(ctx context.Context, conv store.Conversation, target string) (store.Conversation, error) {
	c, err := d.store.Queue(ctx, conv.ID, target, d.clock.Now())
	if errors.Is(err, store.ErrAssigned) {
		return d.store.Conversation(ctx, conv.ID)
	}
	if err != nil {
		return conv, fmt.Errorf("livedesk: queue conversation %s: %w", conv.ID, err)
	}
	d.emit(ctx, Event{Type: EventQueued, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID, Reason: target})
	return c, nil
}

// drainBatch is how many waiting conversations one drain looks at.
const drainBatch = 100

// drainQueue assigns waiting conversations, oldest first, to agents with
// room. Run calls it whenever capacity may have appeared (an agent came
// online, a conversation was resolved or unassigned, a capacity was raised)
// and at every poll. It returns how many it assigned.
func (d *Desk) drainQueue(ctx context.Context) (int, error) {
	convs, err := d.store.QueuedConversations(ctx, drainBatch)
	if err != nil || len(convs) == 0 {
		return 0, err
	}
	full := map[string]bool{} // channel+target with nobody available in this pass
	n := 0
	for _, conv := range convs {
		key := conv.ChannelID + "\x00" + conv.QueueTarget
		if full[key] {
			continue
		}
		e, err := d.channels.get(ctx, conv.ChannelID)
		if err != nil {
			full[key] = true
			continue
		}
		last := ""
		if e.ch.Settings.Assignment.Sticky {
			if k, err := d.store.Contact(ctx, conv.ContactID); err == nil {
				last = k.LastAgentID
			}
		}
		_, ok, err := d.assignHuman(ctx, e, conv, conv.QueueTarget, last, "queue")
		if err != nil {
			return n, err
		}
		if ok {
			n++
		} else {
			full[key] = true
		}
	}
	return n, nil
}
