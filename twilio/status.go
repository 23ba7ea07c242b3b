package twilio

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrNotAStatus is returned by ParseStatus when a form lacks MessageSid or
// MessageStatus.
var ErrNotAStatus = errors.New("twilio: not a status callback")

// StatusCallback is a delivery status callback for an outbound message.
type StatusCallback struct {
	MessageSID          string
	AccountSID          string
	MessagingServiceSID string
	From, To            string
	// Status is MessageStatus as Twilio sent it: accepted, scheduled,
	// queued, sending, sent, delivered, read, undelivered, failed,
	// canceled... Twilio may add values.
	Status       string
	ErrorCode    int
	ErrorMessage string
	// EventType is WhatsApp's DELIVERED, READ, UNDELIVERED..., when sent.
	EventType string
}

// ParseStatus maps a status callback's parameters. A non-numeric ErrorCode
// is reported as -1 rather than failing the callback.
func ParseStatus(f Form) (StatusCallback, error) {
	s := StatusCallback{
		MessageSID:          f.Get("MessageSid"),
		AccountSID:          f.Get("AccountSid"),
		MessagingServiceSID: f.Get("MessagingServiceSid"),
		From:                f.Get("From"),
		To:                  f.Get("To"),
		Status:              f.Get("MessageStatus"),
		ErrorMessage:        f.Get("ErrorMessage"),
		EventType:           f.Get("EventType"),
	}
	if s.Status == "" {
		s.Status = f.Get("SmsStatus")
	}
	if s.MessageSID == "" {
		s.MessageSID = f.Get("SmsSid")
	}
	if s.MessageSID == "" || s.Status == "" {
		return StatusCallback{}, fmt.Errorf("%w: missing MessageSid or MessageStatus", ErrNotAStatus)
	}
	if raw := f.Get("ErrorCode"); raw != "" {
		code, err := strconv.Atoi(raw)
		if err != nil {
			code = -1
		}
		s.ErrorCode = code
	}
	return s, nil
}
