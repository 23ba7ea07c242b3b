package livedesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
)

// ErrNotOpen is store.ErrNotOpen: resolving a conversation that is not
// open, or reopening one that is not resolved.
var ErrNotOpen = store.ErrNotOpen

// ResolveOptions change how a conversation is resolved.
type ResolveOptions struct {
	// NoSurvey resolves without a CSAT survey even when the channel sends
	// them (a spam conversation, a test).
	NoSurvey bool
}

// Resolve closes a conversation and frees its agent's capacity (which
// lets a waiting conversation be assigned). When the channel's CSAT is
// enabled (and, with the after_reply trigger, someone answered the
// customer), a survey is queued in the same atomic step, attributed to the
// conversation's agent and AI agent as they are now. Inside WhatsApp's
// 24-hour window it is the interactive list or plain text; outside it the
// approved template, or, without one, the survey is recorded as not sent
// with the reason. A conversation that is not open returns ErrNotOpen.
func (d *Desk) Resolve(ctx context.Context, conversationID string) (store.Conversation, error) {
	return d.ResolveWith(ctx, conversationID, ResolveOptions{})
}

// ResolveWith is Resolve with options.
func (d *Desk) ResolveWith(ctx context.Context, conversationID string, opts ResolveOptions) (store.Conversation, error) {
	conv, err := d.store.Conversation(ctx, conversationID)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: resolve %q: %w", conversationID, err)
	}
	if conv.Status != store.StatusOpen {
		return store.Conversation{}, fmt.Errorf("livedesk: resolve %q: %w", conversationID, ErrNotOpen)
	}
	now := d.clock.Now()
	req := store.ResolveRequest{ConversationID: conv.ID, At: now}
	if !opts.NoSurvey {
		if err := d.survey(ctx, conv, &req); err != nil {
			return store.Conversation{}, err
		}
	}
	c, s, err := d.store.Resolve(ctx, req)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: resolve %q: %w", conversationID, err)
	}
	d.emit(ctx, Event{Type: EventResolved, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
		AgentID: c.AssigneeID, AIAgentID: c.AIAgentID})
	if s != nil {
		ev := Event{Type: EventSurveySent, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
			SurveyID: s.ID, AgentID: s.AgentID, AIAgentID: s.AIAgentID, MessageID: s.MessageID, Kind: string(store.KindSurvey)}
		if s.NotSent != "" {
			ev.Type, ev.Reason = EventSurveyNotSent, s.NotSent
		}
		d.emit(ctx, ev)
		if s.MessageID != "" {
			ev.Type = EventMessageQueued
			d.emit(ctx, ev)
		}
	}
	d.wake() // capacity freed; the survey may be queued
	return c, nil
}

// survey adds the CSAT survey, if the channel sends one, to a resolution.
func (d *Desk) survey(ctx context.Context, conv store.Conversation, req *store.ResolveRequest) error {
	e, err := d.channels.get(ctx, conv.ChannelID)
	if errors.Is(err, errUnknownChannel) {
		return nil // the channel is gone: nobody to survey through
	}
	if err != nil {
		return err
	}
	cfg := e.ch.Settings.CSAT.WithDefaults()
	if !cfg.Enabled || !cfg.ShouldSurvey(!conv.LastAgentReplyAt.IsZero()) {
		return nil
	}
	contact, err := d.store.Contact(ctx, conv.ContactID)
	if err != nil {
		return fmt.Errorf("livedesk: resolve %q: %w", conv.ID, err)
	}
	s := &store.Survey{ID: uuid.NewString(), SentAt: req.At, ExpiresAt: cfg.ExpiresAt(req.At), WantsComment: cfg.CommentRequest != ""}
	req.Survey = s
	content, err := cfg.Survey(s.ID, contact.WindowOpen(req.At, d.windowMargin))
	if errors.Is(err, csat.ErrNoTemplate) {
		s.Closed = true
		s.NotSent = "WhatsApp's 24-hour window is closed and the channel has no approved survey template (Settings.CSAT.TemplateContentSID)"
		return nil
	}
	if err != nil {
		return fmt.Errorf("livedesk: survey for %q: %w", conv.ID, err)
	}
	m := &store.Message{
		ChannelID: conv.ChannelID, ConversationID: conv.ID, ContactID: conv.ContactID,
		Kind: store.KindSurvey, Key: fmt.Sprintf("csat:%s:%d", conv.ID, conv.Resolutions+1),
		Text: content.Text, ContentSID: content.ContentSID, ContentVariables: content.Variables,
	}
	if m.ContentSID == "" && cfg.TemplateContentSID != "" {
		// Plain text now, but the window may close before it is sent.
		m.TemplateSID, m.ContentVariables = cfg.TemplateContentSID, map[string]string{"1": s.ID}
	}
	req.SurveyMessage = m
	return nil
}

// surveyReply answers a survey answer: the comment request after a rating
// when the channel asks for comments, the thank-you otherwise.
func (d *Desk) surveyReply(ctx context.Context, e *channelEntry, res store.InboundResult) []store.Message {
	s := res.Survey
	cfg := e.ch.Settings.CSAT.WithDefaults()
	ev := Event{ChannelID: s.ChannelID, ConversationID: s.ConversationID, ContactID: s.ContactID, MessageID: res.Message.ID,
		SurveyID: s.ID, Rating: s.Rating, AgentID: s.AgentID, AIAgentID: s.AIAgentID}
	key, text := "csat-thanks:"+s.ID, cfg.ThankYouText
	if res.SurveyOutcome == store.SurveyRated {
		ev.Type = EventSurveyAnswered
		if s.WantsComment {
			key, text = "csat-comment:"+s.ID, cfg.CommentRequest
		}
	} else {
		ev.Type = EventSurveyCommented
	}
	d.emit(ctx, ev)
	return []store.Message{automatic(res, store.KindSurveyReply, key, text)}
}

// Reopen makes a resolved conversation open again; it is queued and
// assigned afresh. ErrNotOpen if it is not resolved; store.ErrOtherOpen if
// the contact has written since and has another open conversation.
func (d *Desk) Reopen(ctx context.Context, conversationID string) (store.Conversation, error) {
	c, err := d.store.Reopen(ctx, conversationID, d.clock.Now())
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: reopen %q: %w", conversationID, err)
	}
	d.emit(ctx, Event{Type: EventReopened, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID})
	d.wake()
	return c, nil
}

// ReportRequest selects a CSAT report.
type ReportRequest struct {
	// Filter selects surveys by channel, agent, AI agent and SentAt.
	Filter csat.Filter
	// Period adds a per-day, per-week or per-month breakdown ("" for none),
	// computed in Location (nil: UTC).
	Period   csat.Period
	Location *time.Location
}

// CSATReport computes the CSAT report: surveys sent, responses, response
// rate, average, distribution, CSAT % (share of 4 and 5), per agent, AI
// agent, channel and period. Surveys that could not be sent do not count.
// A store implementing store.SurveyAggregator computes it itself.
func (d *Desk) CSATReport(ctx context.Context, r ReportRequest) (csat.Report, error) {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	if agg, ok := d.store.(store.SurveyAggregator); ok {
		rep, err := agg.CSATReport(ctx, r.Filter, r.Period, loc)
		if err != nil {
			return csat.Report{}, fmt.Errorf("livedesk: CSAT report: %w", err)
		}
		return rep, nil
	}
	b, err := csat.NewReportBuilder(r.Filter, r.Period, loc)
	if err != nil {
		return csat.Report{}, fmt.Errorf("livedesk: CSAT report: %w", err)
	}
	surveys, err := d.store.ListSurveys(ctx, store.SurveyFilter{ChannelID: r.Filter.ChannelID, AgentID: r.Filter.AgentID, From: r.Filter.From, To: r.Filter.To})
	if err != nil {
		return csat.Report{}, fmt.Errorf("livedesk: CSAT report: %w", err)
	}
	for _, s := range surveys {
		if s.NotSent == "" {
			b.Add(s.Entry())
		}
	}
	return b.Report(), nil
}
