package livedesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// runAITurns claims pending AI turns and runs them on g.
func (d *Desk) runAITurns(ctx context.Context, g *errgroup.Group) (int, error) {
	if len(d.aiAgents) == 0 {
		return 0, nil
	}
	claims, err := d.store.ClaimAITurns(ctx, d.clock.Now(), d.aiTimeout+d.lease, d.maxInFlight)
	if err != nil {
		return 0, fmt.Errorf("livedesk: claim AI turns: %w", err)
	}
	for _, c := range claims {
		g.Go(func() error {
			conv := c.Conversation
			a := SpanAttrs{ChannelID: conv.ChannelID, ConversationID: conv.ID, MessageID: conv.AITurnMessageID}
			tctx, end := d.span(context.WithoutCancel(ctx), SpanAITurn, a)
			d.aiTurn(tctx, c)
			end.End(a, nil)
			return nil
		})
	}
	return len(claims), nil
}

// aiTurn asks the conversation's AI agent to answer and records its reply
// and/or hand-off. An unknown agent, an error, a timeout or an empty answer
// hands the conversation to humans.
func (d *Desk) aiTurn(ctx context.Context, c store.AITurnClaim) {
	conv := c.Conversation
	resp, err := d.askAI(ctx, c)
	for i := range resp.ToolCalls {
		d.emit(ctx, Event{Type: EventAIToolCalled, ChannelID: conv.ChannelID, ConversationID: conv.ID, ContactID: conv.ContactID,
			AIAgentID: conv.AIAgentID, ToolCall: &resp.ToolCalls[i]})
	}
	d.recordToolCalls(ctx, c, resp.ToolCalls)
	r := store.AITurnResult{At: d.clock.Now()}
	text := strings.TrimSpace(resp.Text)
	if err == nil && text != "" {
		r.Reply = &store.Message{ID: uuid.NewString(), ChannelID: conv.ChannelID, ConversationID: conv.ID, ContactID: conv.ContactID,
			Kind: store.KindAI, Key: aiReplyKeyPrefix + c.MessageID, AuthorID: conv.AIAgentID, Text: truncate(text, channel.MaxTextLength)}
	}
	reason := resp.Reason
	switch {
	case err != nil:
		r.HandOff, reason = true, "AI agent failed: "+err.Error()
	case resp.Handoff:
		r.HandOff = true
	case text == "":
		r.HandOff, reason = true, "AI agent gave an empty answer"
	}
	if r.HandOff {
		r.QueueTarget = resp.Target
		r.QueueTarget.AIAgent = ""
	}
	after, err := d.store.CompleteAITurn(ctx, conv.ID, c.Lease, c.MessageID, r)
	if err != nil {
		d.log.ErrorContext(ctx, "recording an AI turn failed", "conversation", conv.ID, "err", err)
		return
	}
	base := Event{ChannelID: conv.ChannelID, ConversationID: conv.ID, ContactID: conv.ContactID, AIAgentID: conv.AIAgentID, Usage: resp.Usage}
	if r.Reply != nil {
		ev := base
		ev.Type, ev.Kind, ev.MessageID = EventMessageQueued, string(store.KindAI), r.Reply.ID
		d.emit(ctx, ev)
		ev.Type = EventAIReplied
		d.emit(ctx, ev)
	}
	if r.HandOff {
		ev := base
		ev.Type, ev.Reason = EventHandedOff, reason
		d.emit(ctx, ev)
		d.log.InfoContext(ctx, "AI agent handed off", "conversation", conv.ID, "ai_agent", conv.AIAgentID, "reason", reason)
		if after.AIAgentID == "" && after.AssigneeID == "" {
			e, _ := d.channels.get(ctx, after.ChannelID)
			d.emitQueued(ctx, e, after, "")
		}
	}
	d.wake() // a reply to deliver, or a conversation to assign
}

// askAI runs one turn of the conversation's AI agent within AITimeout.
func (d *Desk) askAI(ctx context.Context, c store.AITurnClaim) (AIResponse, error) {
	conv := c.Conversation
	agent, ok := d.aiAgents[conv.AIAgentID]
	if !ok {
		return AIResponse{}, fmt.Errorf("no AI agent %q is configured (Options.AIAgents)", conv.AIAgentID)
	}
	req := AIRequest{AIAgentID: conv.AIAgentID, ChannelID: conv.ChannelID, Conversation: conv, Now: d.clock.Now()}
	if e, err := d.channels.get(ctx, conv.ChannelID); err == nil {
		req.ChannelName = e.ch.Name
		req.FetchMedia = d.mediaFor(e.ch.Twilio)
		if e.schedule.Enabled() {
			req.BusinessHours = e.schedule
		}
	}
	var err error
	if req.Contact, err = d.store.Contact(ctx, conv.ContactID); err != nil {
		return AIResponse{}, err
	}
	if req.History, err = d.store.Messages(ctx, conv.ID); err != nil {
		return AIResponse{}, err
	}
	for _, m := range req.History {
		if m.ID == c.MessageID {
			req.Message = m
		}
	}
	tctx, cancel := context.WithTimeout(ctx, d.aiTimeout)
	defer cancel()
	resp, err := agent.Respond(tctx, req)
	if errors.Is(tctx.Err(), context.DeadlineExceeded) {
		// AITimeout passed: that is the reason, whatever the agent said. A
		// deadline error of the agent's own (its request timeout) keeps
		// the agent's text.
		err = fmt.Errorf("no answer within %v", d.aiTimeout)
	}
	return resp, err
}

// truncate cuts s to at most n characters as Twilio counts them: UTF-16
// code units, so an emoji outside the Basic Multilingual Plane counts 2.
func truncate(s string, n int) string {
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if w > n {
			return s[:i]
		}
		n -= w
	}
	return s
}

// recordToolCalls writes the host functions an AI agent called into the
// conversation's timeline as internal notes (never sent), before the turn's
// reply. Each note's key is the answered message and the call's place in
// the turn, so a turn redone after a lost lease or a crash adds no second
// copy. A failure is logged: the record is for the team, the turn goes on.
func (d *Desk) recordToolCalls(ctx context.Context, c store.AITurnClaim, calls []AIToolCall) {
	conv := c.Conversation
	for i, call := range calls {
		note := store.Message{ConversationID: conv.ID, AuthorID: conv.AIAgentID, Text: toolCallNote(call),
			Key: fmt.Sprintf("ai-tool:%s:%d", c.MessageID, i)}
		m, created, err := d.store.AddNote(ctx, note, d.clock.Now())
		if err != nil {
			d.log.WarnContext(ctx, "recording an AI tool call in the timeline failed", "conversation", conv.ID, "tool", call.Name, "err", err)
			continue
		}
		if created {
			d.emit(ctx, Event{Type: EventNoteAdded, At: m.CreatedAt, ChannelID: m.ChannelID, ConversationID: m.ConversationID,
				ContactID: m.ContactID, MessageID: m.ID, Kind: string(m.Kind), AIAgentID: conv.AIAgentID})
		}
	}
}

// maxToolNote bounds the arguments and result shown in a tool call's note.
const maxToolNote = 2000

// toolCallNote is the note text of one tool call: the call, then its
// result or error.
func toolCallNote(call AIToolCall) string {
	var b strings.Builder
	fmt.Fprintf(&b, "AI called %s(%s)", call.Name, clip(call.Arguments, maxToolNote))
	switch {
	case call.Error != "":
		fmt.Fprintf(&b, "\nerror: %s", clip(call.Error, maxToolNote))
	case call.Result != "":
		fmt.Fprintf(&b, "\nresult: %s", clip(call.Result, maxToolNote))
	}
	return b.String()
}

// clip shortens s to at most n bytes, cutting on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
