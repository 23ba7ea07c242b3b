package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Internal is the Direction of an internal note: written by an agent for
// the team, part of the conversation's timeline, never sent.
const Internal Direction = "internal"

// KindNote is the Kind of an internal note.
const KindNote Kind = "note"

// MaxNoteLength is the longest note text, in characters.
const MaxNoteLength = 10000

// Notes records internal notes.
type Notes interface {
	// AddNote appends an internal note to a conversation's timeline. The
	// store fills ID (when empty), ChannelID and ContactID (from the
	// conversation), Direction (Internal), Kind (KindNote) and CreatedAt
	// (= at); AuthorID and Text are kept, Key makes the call idempotent
	// (an existing Key returns that message with created false). A note is
	// never in the outbox: it has no Status, ClaimOutbound never returns
	// it, and it does not move LastAgentReplyAt or UpdatedAt.
	// ErrNotFound if the conversation does not exist; ErrInvalid
	// (CheckNote) for a note without author or text.
	AddNote(ctx context.Context, note Message, at time.Time) (msg Message, created bool, err error)
}

// CheckNote reports what is wrong with a note (an error matching
// ErrInvalid), or nil: it needs a ConversationID, an AuthorID and a Text
// of at most MaxNoteLength characters.
func CheckNote(note Message) error {
	var bad []string
	if note.ConversationID == "" {
		bad = append(bad, "ConversationID is empty")
	}
	if strings.TrimSpace(note.AuthorID) == "" {
		bad = append(bad, "AuthorID is empty")
	}
	switch {
	case strings.TrimSpace(note.Text) == "":
		bad = append(bad, "Text is empty")
	case !utf8.ValidString(note.Text):
		bad = append(bad, "Text is not valid UTF-8")
	case utf8.RuneCountInString(note.Text) > MaxNoteLength:
		bad = append(bad, fmt.Sprintf("Text is longer than %d characters", MaxNoteLength))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: note: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}
