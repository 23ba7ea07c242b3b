package store

import (
	"context"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// Labels tags conversations with short names an inbox filters on
// (ConversationQuery.Label).
type Labels interface {
	// AddLabel puts a label on a conversation; added is false when it was
	// already there (nothing changes). It does not move the conversation's
	// UpdatedAt. ErrNotFound if the conversation does not exist; ErrInvalid
	// (CheckLabel) for a bad name.
	AddLabel(ctx context.Context, conversationID, label string, at time.Time) (added bool, err error)
	// RemoveLabel takes a label off a conversation; removed is false when
	// it was not there. ErrNotFound if the conversation does not exist;
	// ErrInvalid for a bad name.
	RemoveLabel(ctx context.Context, conversationID, label string) (removed bool, err error)
	// Labels returns a conversation's labels, sorted (empty, not nil, when
	// it has none). ErrNotFound if the conversation does not exist.
	Labels(ctx context.Context, conversationID string) ([]string, error)
}

// MaxLabelLength is the longest label, in bytes.
const MaxLabelLength = 64

// CheckLabel reports whether name is a valid label: 1 to MaxLabelLength
// bytes of lower-case letters, digits and the separators "-", "_", ".",
// ":" and "/", starting with a letter or digit. Upper case is refused
// rather than folded, so "VIP" and "vip" cannot both exist by accident.
// The error matches ErrInvalid.
func CheckLabel(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w: label %.80q %s", ErrInvalid, name, why) }
	switch {
	case name == "":
		return bad("is empty")
	case len(name) > MaxLabelLength:
		return bad(fmt.Sprintf("is longer than %d bytes", MaxLabelLength))
	case !utf8.ValidString(name):
		return bad("is not valid UTF-8")
	}
	for i, r := range name {
		switch {
		case unicode.IsUpper(r):
			return bad("has upper case (labels are lower case)")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case i > 0 && (r == '-' || r == '_' || r == '.' || r == ':' || r == '/'):
		default:
			return bad("may only have letters, digits and - _ . : / (not first)")
		}
	}
	return nil
}
