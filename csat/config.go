package csat

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Defaults applied by WithDefaults to empty fields.
const (
	DefaultSurveyText   = "How would you rate the help you received? Please reply with a number from 1 (very bad) to 5 (excellent)."
	DefaultThankYouText = "Thank you for your feedback!"
	DefaultLifetime     = 24 * time.Hour
	DefaultTrigger      = TriggerAlways
)

// Bounds of Config.Lifetime: under a minute nobody can answer; past 30 days an
// answer no longer says anything about the conversation.
const (
	MinLifetime = time.Minute
	MaxLifetime = 30 * 24 * time.Hour
)

// maxTextLen is Twilio's limit on a message body, in characters.
const maxTextLen = 1600

// ErrInvalidConfig is wrapped by every problem Validate reports, so callers can
// branch with errors.Is.
var ErrInvalidConfig = errors.New("csat: invalid config")

// Trigger says which resolved conversations get a survey.
type Trigger string

// Triggers.
const (
	// TriggerAlways surveys every resolved conversation.
	TriggerAlways Trigger = "always"
	// TriggerAfterReply skips conversations resolved without any reply from
	// an agent or an AI agent (spam, "thanks, bye", duplicates closed by hand):
	// there was no service to rate.
	TriggerAfterReply Trigger = "after_reply"
)

// Config is one channel's CSAT setting. The zero value is disabled; empty
// fields mean the documented defaults (see WithDefaults). It is JSON-friendly:
// snake_case keys, Lifetime as a Go duration string ("24h").
type Config struct {
	// Enabled turns surveys on for the channel.
	Enabled bool `json:"enabled"`
	// SurveyText is the plain-text survey, sent when no interactive content
	// applies. Empty: DefaultSurveyText.
	SurveyText string `json:"survey_text,omitempty"`
	// ListContentSID is a Twilio Content SID ("HX" + 32 hex digits) of an
	// interactive list or quick-reply message sent inside the WhatsApp 24-hour
	// window. Its item or button ids must be Payload("{{1}}", n) for n = 1..5
	// ("csat:{{1}}:5"); the desk fills {{1}} with the survey id.
	ListContentSID string `json:"list_content_sid,omitempty"`
	// TemplateContentSID is the Content SID of a WhatsApp-approved template
	// (typically quick replies with the same ids) used outside the 24-hour
	// window, where free text and unapproved lists cannot be sent.
	TemplateContentSID string `json:"template_content_sid,omitempty"`
	// ThankYouText is sent when the survey is complete: after the rating, or
	// after the comment when CommentRequest is set. Empty:
	// DefaultThankYouText.
	ThankYouText string `json:"thank_you_text,omitempty"`
	// CommentRequest, when not empty, is sent after a rating, and the
	// customer's next message (one at most, within the survey's lifetime) is
	// kept as the survey's comment. Empty: no comment is asked for.
	CommentRequest string `json:"comment_request,omitempty"`
	// Lifetime is how long a survey accepts an answer after it is sent,
	// MinLifetime to MaxLifetime. Zero: DefaultLifetime.
	Lifetime Duration `json:"lifetime,omitempty"`
	// Trigger selects the conversations surveyed. Empty: DefaultTrigger.
	Trigger Trigger `json:"trigger,omitempty"`
}

// WithDefaults returns c with empty texts, lifetime and trigger replaced by
// their defaults. Other fields, including invalid values, are kept as they are.
func (c Config) WithDefaults() Config {
	if c.SurveyText == "" {
		c.SurveyText = DefaultSurveyText
	}
	if c.ThankYouText == "" {
		c.ThankYouText = DefaultThankYouText
	}
	if c.Lifetime == 0 {
		c.Lifetime = Duration(DefaultLifetime)
	}
	if c.Trigger == "" {
		c.Trigger = DefaultTrigger
	}
	return c
}

// Validate reports every problem of c at once, each naming the field and the
// expected format, all wrapping ErrInvalidConfig. Zero values are valid (they
// mean defaults). A disabled config is checked too, so a mistake is caught when
// it is saved rather than when surveys are switched on.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	checkSID := func(field, sid string) {
		if sid != "" && !isContentSID(sid) {
			bad("%s %q is not a Twilio Content SID: want \"HX\" followed by 32 hex digits (HX0123456789abcdef0123456789abcdef), as shown in Twilio's Content Template Builder", field, sid)
		}
	}
	checkText := func(field, text string) {
		switch {
		case text == "":
		case !utf8.ValidString(text):
			bad("%s is not valid UTF-8", field)
		case strings.TrimSpace(text) == "":
			bad("%s is blank: write a message or leave it empty for the default", field)
		case utf8.RuneCountInString(text) > maxTextLen:
			bad("%s is %d characters long: WhatsApp messages sent through Twilio are limited to %d", field, utf8.RuneCountInString(text), maxTextLen)
		}
	}
	checkText("SurveyText", c.SurveyText)
	checkSID("ListContentSID", c.ListContentSID)
	checkSID("TemplateContentSID", c.TemplateContentSID)
	checkText("ThankYouText", c.ThankYouText)
	checkText("CommentRequest", c.CommentRequest)
	if d := time.Duration(c.Lifetime); d != 0 && (d < MinLifetime || d > MaxLifetime) {
		bad("Lifetime %s is out of range: want 1m to 720h (30 days), or 0 for the default 24h", d)
	}
	switch c.Trigger {
	case "", TriggerAlways, TriggerAfterReply:
	default:
		bad("Trigger %q is unknown: want %q or %q (empty means %q)", string(c.Trigger), TriggerAlways, TriggerAfterReply, DefaultTrigger)
	}
	return errors.Join(errs...)
}

// isContentSID reports "HX" followed by 32 hex digits.
func isContentSID(s string) bool {
	if len(s) != 34 || s[:2] != "HX" {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
