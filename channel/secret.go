package channel

import (
	"fmt"
	"log/slog"
)

// Secret is a credential (an Auth Token or an API key secret). It formats as
// "[redacted]" with every fmt verb and as a redacted slog value, so logging a
// Channel never prints a credential. Use string(s) where the value is needed.
type Secret string

const redacted = "[redacted]"

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
