package channel

import (
	"errors"
	"fmt"
	"log/slog"
)

// Secret is a credential (an Auth Token or an API key secret). Every
// encoding a host is likely to use redacts it: fmt (every verb, %#v
// included), log/slog (LogValuer), encoding/json, encoding/xml, yaml and any
// other encoder that honours encoding.TextMarshaler (MarshalText), and
// encoding/gob (GobEncode). So json.Marshal of a Channel, or a slog JSON or
// text handler logging a []Channel or a struct holding one, never prints a
// credential.
//
// The value is read only through [Secret.Reveal] (or a string conversion):
// stores persist secrets that way, and the desk signs and sends with it.
// Decoding (UnmarshalText, so JSON and XML too) accepts the clear value, so
// a host can load channels from its own configuration; it refuses the
// redacted placeholder, so a Channel that went through an encoder and back
// fails loudly instead of carrying "[redacted]" as its token.
type Secret string

const redacted = "[redacted]"

// ErrRedactedSecret is returned when decoding the redacted placeholder into
// a Secret: the real value was never encoded and cannot be recovered.
var ErrRedactedSecret = errors.New("channel: a redacted secret cannot be decoded; set the clear value")

// Reveal returns the secret in clear. It is the explicit path for the code
// that needs the value (stores, signature checks, REST authentication).
func (s Secret) Reveal() string { return string(s) }

// String returns "[redacted]" for a non-empty secret and "" for an empty one.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString is used by %#v; it never shows the secret.
func (s Secret) GoString() string { return fmt.Sprintf("channel.Secret(%q)", s.String()) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Format implements fmt.Formatter so that no verb (%x, %q, %d...) reveals the
// secret.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprint(f, s.GoString())
		return
	}
	_, _ = fmt.Fprint(f, s.String())
}

// MarshalText implements encoding.TextMarshaler (used by encoding/json,
// encoding/xml and slog's handlers): "[redacted]" for a
// non-empty secret, "" for an empty one.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler: it takes the clear
// value, and refuses the redacted placeholder with ErrRedactedSecret.
func (s *Secret) UnmarshalText(b []byte) error {
	if string(b) == redacted {
		return ErrRedactedSecret
	}
	*s = Secret(b)
	return nil
}

// GobEncode implements gob.GobEncoder (gob ignores encoding.TextMarshaler):
// the same redacted text as MarshalText.
func (s Secret) GobEncode() ([]byte, error) { return s.MarshalText() }

// GobDecode implements gob.GobDecoder, like UnmarshalText.
func (s *Secret) GobDecode(b []byte) error { return s.UnmarshalText(b) }
