package csat

import (
	"errors"
	"time"
)

// ErrNoTemplate is returned by Config.Survey when the customer is outside the
// WhatsApp 24-hour window and no approved template is configured: WhatsApp
// refuses free text and unapproved lists there, so no survey can be sent.
var ErrNoTemplate = errors.New("csat: the customer is outside the WhatsApp 24-hour window and no TemplateContentSID is configured; set an approved template to survey them")

// Survey is what to send to ask for a rating: either a Content SID with its
// variables, or plain text.
type Survey struct {
	// ContentSID is the Content to send (list or template); empty for text.
	ContentSID string
	// Variables are the content variables: {"1": surveyID}, filling the ids
	// Payload("{{1}}", n). Nil for text.
	Variables map[string]string
	// Text is the plain-text survey; empty when ContentSID is set.
	Text string
}

// ShouldSurvey reports whether resolving a conversation sends a survey under
// c. replied says whether an agent or an AI agent answered in the
// conversation; it only matters with TriggerAfterReply.
func (c Config) ShouldSurvey(replied bool) bool {
	if !c.Enabled {
		return false
	}
	return c.WithDefaults().Trigger != TriggerAfterReply || replied
}

// ExpiresAt is when a survey sent at sentAt stops accepting an answer: an
// answer at time t counts when t is before ExpiresAt.
func (c Config) ExpiresAt(sentAt time.Time) time.Time {
	return sentAt.Add(time.Duration(c.WithDefaults().Lifetime))
}

// Survey chooses the survey message for survey surveyID. Inside the 24-hour
// window it is the list content, else the approved template (buttons beat
// typing a number), else the plain text; outside the window only the template
// can be sent, else ErrNoTemplate.
func (c Config) Survey(surveyID string, inWindow bool) (Survey, error) {
	c = c.WithDefaults()
	sid := c.TemplateContentSID
	if inWindow && c.ListContentSID != "" {
		sid = c.ListContentSID
	}
	switch {
	case inWindow && sid == "":
		return Survey{Text: c.SurveyText}, nil
	case sid == "":
		return Survey{}, ErrNoTemplate
	}
	return Survey{ContentSID: sid, Variables: map[string]string{"1": surveyID}}, nil
}
