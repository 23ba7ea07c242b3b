package twilio

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/livedesk/livedesk/channel"
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
	// ChannelStatusMessage is WhatsApp's own text for a failure (often
	// more precise than ErrorMessage); see ErrorText.
	ChannelStatusMessage string
	// ChannelInstallSID is the WhatsApp sender's installation (XE...).
	ChannelInstallSID string
	// ChannelPrefix is the channel, "whatsapp".
	ChannelPrefix string
	// StructuredMessage is StructuredMessage=true (seen on sent).
	StructuredMessage bool
	// Extra holds every parameter without a field above (SmsSid, SmsStatus,
	// ApiVersion, ChannelToAddress, Body, parameters Twilio adds later),
	// first value of each key in signing order.
	Extra map[string]string
}

// statusFields are the parameters ParseStatus maps to typed fields; every
// other parameter goes to StatusCallback.Extra.
var statusFields = map[string]bool{
	"MessageSid": true, "AccountSid": true, "MessagingServiceSid": true, "From": true, "To": true,
	"MessageStatus": true, "ErrorCode": true, "ErrorMessage": true, "EventType": true,
	"ChannelStatusMessage": true, "ChannelInstallSid": true, "ChannelPrefix": true, "StructuredMessage": true,
}

// ParseStatus maps a status callback's parameters. A non-numeric ErrorCode
// is reported as -1 rather than failing the callback. It applies the same
// rule as ParseInbound: identifiers (MessageSid, SmsSid, AccountSid,
// MessagingServiceSid, ChannelInstallSid) and addresses (From, To) that
// Twilio never sends, and a MessageStatus that is not a short word, are a
// *ParamError wrapping ErrInvalidParam; NUL bytes and invalid UTF-8
// elsewhere become U+FFFD. A form without MessageSid or MessageStatus is
// ErrNotAStatus.
func ParseStatus(f Form) (StatusCallback, error) {
	if err := checkSIDs(f, "MessageSid", "SmsSid", "AccountSid", "MessagingServiceSid", "ChannelInstallSid"); err != nil {
		return StatusCallback{}, err
	}
	if err := checkAddresses(f, "From", "To"); err != nil {
		return StatusCallback{}, err
	}
	for _, n := range [...]string{"MessageStatus", "SmsStatus"} {
		if v := f.Get(n); v != "" && !statusWord(v) {
			return StatusCallback{}, &ParamError{Param: n, Reason: "is not a status word (1 to 32 letters, digits, '_' or '-')", Value: channel.Excerpt(v)}
		}
	}
	f, _ = f.cleaned()
	s := StatusCallback{
		MessageSID:           f.Get("MessageSid"),
		AccountSID:           f.Get("AccountSid"),
		MessagingServiceSID:  f.Get("MessagingServiceSid"),
		From:                 f.Get("From"),
		To:                   f.Get("To"),
		Status:               f.Get("MessageStatus"),
		ErrorMessage:         f.Get("ErrorMessage"),
		EventType:            f.Get("EventType"),
		ChannelStatusMessage: f.Get("ChannelStatusMessage"),
		ChannelInstallSID:    f.Get("ChannelInstallSid"),
		ChannelPrefix:        f.Get("ChannelPrefix"),
		StructuredMessage:    f.Get("StructuredMessage") == "true",
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
	extras := 0
	for _, p := range f.params {
		if !statusFields[p.Key] {
			extras++
		}
	}
	sm := f.Get("StructuredMessage")
	odd := sm != "" && sm != "true" && sm != "false"
	if odd {
		extras++
	}
	if extras == 0 {
		return s, nil
	}
	s.Extra = make(map[string]string, extras)
	if odd {
		s.Extra["StructuredMessage"] = sm // not a boolean: keep what Twilio said
	}
	for _, p := range f.params {
		if _, dup := s.Extra[p.Key]; !dup && !statusFields[p.Key] {
			s.Extra[p.Key] = p.Value // the first value in signing order
		}
	}
	return s, nil
}

// ErrorText is the failure as one line: Twilio's ErrorMessage, followed by
// WhatsApp's own ChannelStatusMessage when there is one, or "" when the
// callback carries neither.
func (s StatusCallback) ErrorText() string {
	switch {
	case s.ChannelStatusMessage == "" || s.ChannelStatusMessage == s.ErrorMessage:
		return s.ErrorMessage
	case s.ErrorMessage == "":
		return "WhatsApp: " + s.ChannelStatusMessage
	}
	return s.ErrorMessage + " (WhatsApp: " + s.ChannelStatusMessage + ")"
}

// statusWord reports whether v looks like a MessageStatus value: 1 to 32
// ASCII letters, digits, '_' or '-'.
func statusWord(v string) bool {
	if v == "" || len(v) > 32 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
