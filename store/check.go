package store

import (
	"fmt"

	"github.com/livedesk/livedesk/channel"
)

// Check reports whether a store can keep rec: its message passes
// channel.Inbound.Check (identifiers and addresses bounded, text without
// NUL bytes or invalid UTF-8, a location on Earth) and the survey answer is
// clean text. The error wraps ErrInvalid. Every store calls it first, so
// hostile records get the same answer from every store and nothing is half
// written; the desk never sends one, since package twilio's parser applies
// the same rule.
func (rec *InboundRecord) Check() error {
	if err := rec.Message.Check(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if !channel.IsCleanText(rec.Answer.SurveyID) || !channel.IsCleanText(rec.Answer.Method) {
		return fmt.Errorf("%w: survey answer %s holds a NUL byte or invalid UTF-8", ErrInvalid, channel.Excerpt(rec.Answer.SurveyID))
	}
	return nil
}

// Check reports whether a store can apply u: MessageID empty or an ID
// ([channel.ValidID], what the stores generate), SID empty or an identifier
// ([channel.ValidSID]), ErrorMessage clean text. The error wraps ErrInvalid.
// Every store calls it first.
func (u *StatusUpdate) Check() error {
	switch {
	case u.MessageID != "" && !channel.ValidID(u.MessageID):
		return fmt.Errorf("%w: message ID %s is not an ID", ErrInvalid, channel.Excerpt(u.MessageID))
	case u.SID != "" && !channel.ValidSID(u.SID):
		return fmt.Errorf("%w: SID %s is not an identifier", ErrInvalid, channel.Excerpt(u.SID))
	case !channel.IsCleanText(u.ErrorMessage):
		return fmt.Errorf("%w: error message %s holds a NUL byte or invalid UTF-8", ErrInvalid, channel.Excerpt(u.ErrorMessage))
	}
	return nil
}
