package channel

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The rule every store relies on, decided once for what a webhook may
// carry (package twilio applies it while parsing; stores check it again
// with [Inbound.Check] so that a record no store can keep is refused by
// every store alike):
//
//   - identifiers Twilio generates (MessageSid, AccountSid,
//     MessagingServiceSid, OriginalRepliedMessageSid, ChannelInstallSid...)
//     are 1 to MaxSIDLen ASCII letters and digits ([ValidSID]); Twilio's
//     own are 34;
//   - addresses (From, To, WaId, OriginalRepliedMessageSender,
//     ExternalUserId) are valid UTF-8 without NUL or other control
//     characters, at most MaxAddressLen bytes ([ValidAddress]);
//     "whatsapp:+" and 15 digits is 25;
//   - every other text is kept, but a NUL byte and each byte that is not
//     part of valid UTF-8 (a lone surrogate such as %ED%A0%80 is three)
//     become U+FFFD ([CleanText]), as Go's range loop and encoding/json
//     read them. Postgres text and jsonb cannot hold either.
//
// The limits keep every value that is indexed far below what a database
// index entry takes (Postgres: about 2.7 kB).
const (
	// MaxSIDLen is the longest identifier accepted (Twilio's are 34).
	MaxSIDLen = 64
	// MaxAddressLen is the longest address accepted, in bytes.
	MaxAddressLen = 256
)

// ErrInvalidText is wrapped by Inbound.Check's errors.
var ErrInvalidText = errors.New("channel: value breaks the webhook text rules")

// ValidSID reports whether s is an identifier in Twilio's alphabet: 1 to
// MaxSIDLen ASCII letters and digits.
func ValidSID(s string) bool {
	if s == "" || len(s) > MaxSIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// ValidAddress reports whether s is an acceptable address: at most
// MaxAddressLen bytes of valid UTF-8 without control characters. The empty
// string is valid (the field is absent).
func ValidAddress(s string) bool {
	if len(s) > MaxAddressLen || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ { // bytes: in valid UTF-8 no control byte is part of another character
		if c := s[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// IsCleanText reports whether s is valid UTF-8 without NUL bytes: what
// CleanText returns unchanged.
func IsCleanText(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

// CleanText returns s with each NUL byte and each byte that is not part of
// valid UTF-8 replaced by U+FFFD. A clean s is returned as it is, without
// allocating.
func CleanText(s string) string {
	if IsCleanText(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0 || (r == utf8.RuneError && size == 1) {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Excerpt quotes at most the first 32 bytes of s (cut on a character
// boundary) for an error message, with its length when it was cut, so an
// error never echoes a multi-kilobyte value into logs and events.
func Excerpt(s string) string {
	const max = 32
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// Check reports the first field of in that breaks the rule above (an
// error wrapping ErrInvalidText), or nil. Everything ParseInbound in
// package twilio returns passes. Stores call it before writing anything.
func (in *Inbound) Check() error {
	sids := [...]struct {
		name, v  string
		optional bool
	}{
		{"MessageSID", in.MessageSID, false}, {"AccountSID", in.AccountSID, true},
		{"MessagingServiceSID", in.MessagingServiceSID, true},
	}
	for _, f := range sids {
		if (f.v != "" || !f.optional) && !ValidSID(f.v) {
			return invalid(f.name, "is not an identifier of 1 to 64 letters and digits", f.v)
		}
	}
	for _, f := range [...]struct{ name, v string }{
		{"From", in.From}, {"To", in.To}, {"WaID", in.WaID}, {"ExternalUserID", in.ExternalUserID},
	} {
		if !ValidAddress(f.v) {
			return invalid(f.name, "is not an address (at most 256 bytes of text without control characters)", f.v)
		}
	}
	if in.ReplyTo != nil {
		if !ValidSID(in.ReplyTo.MessageSID) {
			return invalid("ReplyTo.MessageSID", "is not an identifier of 1 to 64 letters and digits", in.ReplyTo.MessageSID)
		}
		if !ValidAddress(in.ReplyTo.Sender) {
			return invalid("ReplyTo.Sender", "is not an address", in.ReplyTo.Sender)
		}
	}
	if l := in.Location; l != nil {
		if math.IsNaN(l.Latitude) || math.IsNaN(l.Longitude) || l.Latitude < -90 || l.Latitude > 90 ||
			l.Longitude < -180 || l.Longitude > 180 {
			return invalid("Location", "is not a place on Earth", fmt.Sprint(l.Latitude, ",", l.Longitude))
		}
	}
	if name, v, dirty := in.dirtyText(); dirty {
		return invalid(name, "holds a NUL byte or invalid UTF-8", v)
	}
	for k, v := range in.Extra {
		if !IsCleanText(k) {
			return invalid("Extra key", "holds a NUL byte or invalid UTF-8", k)
		}
		if !IsCleanText(v) {
			return invalid("Extra["+CleanText(k)+"]", "holds a NUL byte or invalid UTF-8", v)
		}
	}
	return nil
}

// dirtyText finds the first free-text field of in (those CleanText
// applies to) that is not clean. It allocates nothing.
func (in *Inbound) dirtyText() (name, v string, dirty bool) {
	for _, f := range [...]struct{ name, v string }{
		{"ProfileName", in.ProfileName}, {"Body", in.Body}, {"Type", string(in.Type)},
		{"ButtonText", in.ButtonText}, {"ButtonPayload", in.ButtonPayload},
		{"ChannelMetadata", in.ChannelMetadata}, {"IdempotencyToken", in.IdempotencyToken},
	} {
		if !IsCleanText(f.v) {
			return f.name, f.v, true
		}
	}
	for _, m := range in.Media {
		if !IsCleanText(m.URL) || !IsCleanText(m.ContentType) {
			return "Media", m.URL + " " + m.ContentType, true
		}
	}
	if l := in.Location; l != nil && (!IsCleanText(l.Address) || !IsCleanText(l.Label)) {
		return "Location", l.Address + " " + l.Label, true
	}
	if r := in.Referral; r != nil {
		for _, f := range [...]struct{ name, v string }{
			{"Referral.Body", r.Body}, {"Referral.Headline", r.Headline}, {"Referral.SourceID", r.SourceID},
			{"Referral.SourceType", r.SourceType}, {"Referral.SourceURL", r.SourceURL},
			{"Referral.MediaID", r.MediaID}, {"Referral.MediaContentType", r.MediaContentType},
			{"Referral.MediaURL", r.MediaURL}, {"Referral.NumMedia", r.NumMedia}, {"Referral.CtwaClid", r.CtwaClid},
		} {
			if !IsCleanText(f.v) {
				return f.name, f.v, true
			}
		}
	}
	return "", "", false
}

func invalid(field, reason, v string) error {
	return fmt.Errorf("%w: %s %s: %s", ErrInvalidText, field, reason, Excerpt(v))
}
