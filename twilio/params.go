package twilio

import (
	"errors"
	"fmt"

	"github.com/livedesk/livedesk/channel"
)

// ErrInvalidParam is wrapped by the *ParamError that ParseInbound and
// ParseStatus return for a value Twilio never sends. The desk answers 400.
var ErrInvalidParam = errors.New("twilio: invalid webhook parameter")

// ParamError is a parameter Twilio never sends in that shape: an
// identifier that is not 1 to channel.MaxSIDLen letters and digits, or an
// address over channel.MaxAddressLen bytes or holding control characters
// or invalid UTF-8. Value is an excerpt (channel.Excerpt), never the whole
// value, so the error can be logged as it is.
type ParamError struct {
	Param  string // the form parameter, e.g. "MessageSid"
	Reason string
	Value  string // quoted excerpt of the value
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("twilio: parameter %s %s: %s", e.Param, e.Reason, e.Value)
}

// Unwrap returns ErrInvalidParam.
func (e *ParamError) Unwrap() error { return ErrInvalidParam }

func sidError(param, v string) error {
	return &ParamError{Param: param, Reason: fmt.Sprintf("is not an identifier (1 to %d letters and digits, %d bytes given)",
		channel.MaxSIDLen, len(v)), Value: channel.Excerpt(v)}
}

func addressError(param, v string) error {
	return &ParamError{Param: param, Reason: fmt.Sprintf("is not an address (at most %d bytes of text without control characters, %d bytes given)",
		channel.MaxAddressLen, len(v)), Value: channel.Excerpt(v)}
}

// checkSIDs checks the identifier parameters among names: absent (empty) is
// fine, present must be channel.ValidSID.
func checkSIDs(f Form, names ...string) error {
	for _, n := range names {
		if v := f.Get(n); v != "" && !channel.ValidSID(v) {
			return sidError(n, v)
		}
	}
	return nil
}

// checkAddresses checks the address parameters among names.
func checkAddresses(f Form, names ...string) error {
	for _, n := range names {
		if v := f.Get(n); !channel.ValidAddress(v) {
			return addressError(n, v)
		}
	}
	return nil
}

// checkInbound checks an inbound message's identifiers and addresses
// (OriginalRepliedMessageSender only with an OriginalRepliedMessageSid:
// alone it is dropped).
func checkInbound(in *channel.Inbound, replySID, replySender string) error {
	for _, p := range [...]struct{ name, v string }{
		{"MessageSid", in.MessageSID}, {"AccountSid", in.AccountSID},
		{"MessagingServiceSid", in.MessagingServiceSID}, {"OriginalRepliedMessageSid", replySID},
	} {
		if p.v != "" && !channel.ValidSID(p.v) {
			return sidError(p.name, p.v)
		}
	}
	for _, p := range [...]struct{ name, v string }{
		{"From", in.From}, {"To", in.To}, {"WaId", in.WaID}, {"ExternalUserId", in.ExternalUserID},
		{"OriginalRepliedMessageSender", replySender},
	} {
		if !channel.ValidAddress(p.v) {
			return addressError(p.name, p.v)
		}
	}
	return nil
}

// cleaned returns f with channel.CleanText applied to every key and value
// (NUL bytes and invalid UTF-8 become U+FFFD), re-sorted. A clean form,
// the usual case, is returned as it is, with dirty false. It runs after
// the signature check, which is over the bytes Twilio sent.
func (f Form) cleaned() (clean Form, dirty bool) {
	for _, p := range f.params {
		if !channel.IsCleanText(p.Key) || !channel.IsCleanText(p.Value) {
			dirty = true
			break
		}
	}
	if !dirty {
		return f, false
	}
	ps := make([]Param, len(f.params))
	for i, p := range f.params {
		ps[i] = Param{channel.CleanText(p.Key), channel.CleanText(p.Value)}
	}
	sortParams(ps)
	return Form{params: ps}, true
}
