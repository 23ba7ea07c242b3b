package livedesk

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
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
	target := dec.Target
	if t := target.AIAgent; t != "" {
		target = routing.Target{}
		if _, ok := d.aiAgents[t]; ok && !conv.AIHandedOff {
			c, err := d.store.ChangeOwner(ctx, store.OwnerChange{ConversationID: conv.ID, To: store.Owner{AIAgentID: t}, At: d.clock.Now()})
			switch {
			case err == nil:
				d.emit(ctx, Event{Type: EventAssigned, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
					AIAgentID: t, Reason: dec.Reason()})
				return c, nil
			case !errors.Is(err, store.ErrAssigned) && !errors.Is(err, store.ErrNotOpen):
				return conv, fmt.Errorf("livedesk: assign AI agent %q: %w", t, err)
			}
			return d.store.Conversation(ctx, conv.ID) // someone else routed it
		}
		d.log.WarnContext(ctx, "routing chose an AI agent that is not configured or already handed off; using the human pool",
			"channel", e.ch.ID, "ai_agent", t)
	}
	c, ok, err := d.assignHuman(ctx, e, conv, target, res.Contact.LastAgentID, dec.Reason())
	if err != nil || ok {
		return c, err
	}
	return d.queue(ctx, e, conv, target)
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
func (d *Desk) assignHuman(ctx context.Context, e *channelEntry, conv store.Conversation, target routing.Target, lastAgent, reason string) (store.Conversation, bool, error) {
	cands, err := d.candidates(ctx, e, target)
	if err != nil || len(cands) == 0 {
		return conv, false, err
	}
	cursorKey, cursor := "", ""
	if e.strategy == routing.StrategyRoundRobin {
		cursorKey = cursorKeyFor(e.ch.ID, target)
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
		c, err := d.store.ChangeOwner(ctx, store.OwnerChange{ConversationID: conv.ID, To: store.Owner{AgentID: cand.ID},
			CursorKey: cursorKey, At: d.clock.Now()})
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
		case errors.Is(err, store.ErrAssigned), errors.Is(err, store.ErrNotOpen):
			c, err := d.store.Conversation(ctx, conv.ID) // someone else assigned or resolved it
			return c, err == nil, err
		default:
			return conv, false, fmt.Errorf("livedesk: assign conversation %s: %w", conv.ID, err)
		}
	}
	return conv, false, nil
}

// candidates loads the agents a target may go to: the channel's agents, or
// those of one team, or one agent.
func (d *Desk) candidates(ctx context.Context, e *channelEntry, target routing.Target) ([]routing.Candidate, error) {
	ids := e.ch.Settings.Assignment.Agents
	team := target.Team
	if target.Agent != "" {
		ids = []string{target.Agent}
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

// queue puts an unowned conversation in the queue for target.
func (d *Desk) queue(ctx context.Context, e *channelEntry, conv store.Conversation, target routing.Target) (store.Conversation, error) {
	c, err := d.store.ChangeOwner(ctx, store.OwnerChange{ConversationID: conv.ID, Queue: target, At: d.clock.Now()})
	if errors.Is(err, store.ErrAssigned) || errors.Is(err, store.ErrNotOpen) {
		return d.store.Conversation(ctx, conv.ID)
	}
	if err != nil {
		return conv, fmt.Errorf("livedesk: queue conversation %s: %w", conv.ID, err)
	}
	d.emitQueued(ctx, e, c, "")
	return c, nil
}

// emitQueued reports a conversation waiting for an agent, and warns when
// nobody could ever take it: a team none of the channel's agents is in.
func (d *Desk) emitQueued(ctx context.Context, e *channelEntry, c store.Conversation, reason string) {
	if reason == "" {
		reason = queueReason(c.QueueTarget)
	}
	d.emit(ctx, Event{Type: EventQueued, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
		Reason: reason, Target: c.QueueTarget})
	if e == nil || c.QueueTarget.Team == "" {
		return
	}
	if n, err := d.teamMembers(ctx, e, c.QueueTarget.Team); err == nil && n == 0 {
		d.log.WarnContext(ctx, "a conversation waits for a team none of the channel's agents is in: add agents of that team to the channel",
			"channel", c.ChannelID, "conversation", c.ID, "team", c.QueueTarget.Team)
		d.emit(ctx, Event{Type: EventTeamEmpty, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
			Reason: fmt.Sprintf("no agent of the channel is in team %q", c.QueueTarget.Team), Target: c.QueueTarget})
	}
}

// teamMembers counts the channel's agents in a team.
func (d *Desk) teamMembers(ctx context.Context, e *channelEntry, team string) (int, error) {
	ids := e.ch.Settings.Assignment.Agents
	if len(ids) == 0 {
		return 0, nil
	}
	agents, err := d.store.ListAgents(ctx, ids)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range agents {
		if slices.Contains(a.Teams, team) {
			n++
		}
	}
	return n, nil
}

// queueReason is the Reason of a queued event: who the conversation waits
// for.
func queueReason(t routing.Target) string {
	if t.Kind() == routing.TargetNone {
		return "channel pool"
	}
	return t.String()
}

// cursorKeyFor is the round-robin cursor's key for a channel and a queue
// target: one rotation per channel pool, team and agent.
func cursorKeyFor(channelID string, t routing.Target) string {
	switch {
	case t.Team != "":
		return "rr:" + channelID + ":team:" + t.Team
	case t.Agent != "":
		return "rr:" + channelID + ":agent:" + t.Agent
	}
	return "rr:" + channelID + ":"
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
	type pool struct {
		channel string
		target  routing.Target
	}
	full := map[pool]bool{} // channel and target with nobody available in this pass
	n := 0
	for _, conv := range convs {
		key := pool{conv.ChannelID, conv.QueueTarget}
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
