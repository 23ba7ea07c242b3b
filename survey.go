package livedesk

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
)

// surveyAnswer reads an inbound message as a possible CSAT answer: a
// rating (button payload, digits, stars, emoji, words) and the survey a
// button payload names.
func surveyAnswer(in *channel.Inbound) store.SurveyAnswer {
	var a store.SurveyAnswer
	if r, ok := csat.ParseRating(in.Text(), in.ButtonPayload); ok {
		a.Rating, a.Method = r.Value, string(r.Method)
	}
	if id, _, ok := csat.ParsePayload(in.ButtonPayload); ok {
		a.SurveyID = id
	}
	return a
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
