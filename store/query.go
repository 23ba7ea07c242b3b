package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Queries pages through conversations and a conversation's messages, for
// an agent's inbox. Pages are keyset-paginated: a page ends with an opaque
// cursor that the next call passes back, and a row is never skipped or
// repeated because rows were inserted between two calls.
type Queries interface {
	// QueryConversations returns one page of the conversations matching
	// q, most recently updated first (UpdatedAt descending, then ID
	// descending), with their labels. Conversations created after the
	// first page was read sort before it and are not in later pages; one
	// whose UpdatedAt moves while a reader pages moves to the front (read
	// again with UpdatedSince to catch up). Page.Next is empty on the last
	// page. A query that fails Check returns an error matching ErrInvalid
	// and reads nothing.
	QueryConversations(ctx context.Context, q ConversationQuery) (ConversationPage, error)
	// QueryMessages returns one page of a conversation's timeline
	// (inbound, outbound and internal notes) in the order Messages gives
	// (CreatedAt, then insertion order). A message created after the page
	// with a CreatedAt at or after the cursor's is in a later page.
	// ErrNotFound if the conversation does not exist; ErrInvalid for a
	// query that fails Check or a cursor of another conversation.
	QueryMessages(ctx context.Context, conversationID string, q MessageQuery) (MessagePage, error)
	// Message returns one message of any direction, or ErrNotFound.
	Message(ctx context.Context, id string) (Message, error)
}

// Page sizes.
const (
	// DefaultPageSize is the page size when a query's Limit is 0.
	DefaultPageSize = 50
	// MaxPageSize is the largest Limit a query may ask for.
	MaxPageSize = 500
	// MaxSearchText is the longest Text a conversation query may search
	// for, in characters.
	MaxSearchText = 200
)

// Flag is a yes/no condition of a query: FlagAny (the zero value) matches
// everything.
type Flag uint8

// Flag values.
const (
	FlagAny Flag = iota
	FlagYes
	FlagNo
)

// match reports whether a fact is accepted by the flag.
func (f Flag) match(fact bool) bool {
	return f == FlagAny || (f == FlagYes) == fact
}

// ConversationQuery selects conversations. Zero fields match everything;
// the set ones must all match.
type ConversationQuery struct {
	ChannelID  string
	ContactID  string
	Status     ConversationStatus
	AssigneeID string
	// Team matches conversations queued for a team (QueueTarget.Team),
	// waiting or since assigned from that queue.
	Team string
	// AIOwned matches on AIAgentID being set (for a resolved
	// conversation: who had it when it was resolved).
	AIOwned Flag
	// Queued matches on QueuedAt being set: waiting for an agent.
	Queued Flag
	// ContactPhone is the contact's number in E.164 (exact).
	ContactPhone string
	// Label matches conversations carrying that label.
	Label string
	// Text matches conversations with a message whose text contains it,
	// case-insensitively (at most MaxSearchText characters).
	Text string
	// UpdatedSince matches conversations with UpdatedAt at or after it.
	UpdatedSince time.Time
	// Cursor is the previous page's Next; empty for the first page.
	Cursor string
	// Limit is the page size: 0 means DefaultPageSize, at most
	// MaxPageSize.
	Limit int
}

// Check reports what is wrong with the query (an error matching
// ErrInvalid), or nil.
func (q ConversationQuery) Check() error {
	var bad []string
	if q.Status != "" && q.Status != StatusOpen && q.Status != StatusResolved {
		bad = append(bad, fmt.Sprintf("Status %q is not open or resolved", q.Status))
	}
	if q.AIOwned > FlagNo || q.Queued > FlagNo {
		bad = append(bad, "AIOwned and Queued must be FlagAny, FlagYes or FlagNo")
	}
	if q.Label != "" {
		if err := CheckLabel(q.Label); err != nil {
			bad = append(bad, "Label: "+strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
		}
	}
	if n := utf8.RuneCountInString(q.Text); n > MaxSearchText || !utf8.ValidString(q.Text) {
		bad = append(bad, fmt.Sprintf("Text must be valid UTF-8 of at most %d characters", MaxSearchText))
	}
	if q.Limit < 0 || q.Limit > MaxPageSize {
		bad = append(bad, fmt.Sprintf("Limit %d is not between 0 and %d", q.Limit, MaxPageSize))
	}
	if q.Cursor != "" {
		if _, _, err := DecodeCursor(q.Cursor, cursorConversation); err != nil {
			bad = append(bad, "Cursor is not one this store gave")
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: conversation query: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}

// PageSize returns the query's page size.
func (q ConversationQuery) PageSize() int { return pageSize(q.Limit) }

// Match reports whether c (with its labels and contact phone) matches
// every condition of q but Text and the cursor, which need the messages
// and the order. Stores that filter in memory use it.
func (q ConversationQuery) Match(c Conversation, labels []string, phone string) bool {
	return (q.ChannelID == "" || c.ChannelID == q.ChannelID) &&
		(q.ContactID == "" || c.ContactID == q.ContactID) &&
		(q.Status == "" || c.Status == q.Status) &&
		(q.AssigneeID == "" || c.AssigneeID == q.AssigneeID) &&
		(q.Team == "" || c.QueueTarget.Team == q.Team) &&
		q.AIOwned.match(c.AIAgentID != "") &&
		q.Queued.match(!c.QueuedAt.IsZero()) &&
		(q.ContactPhone == "" || phone == q.ContactPhone) &&
		(q.Label == "" || contains(labels, q.Label)) &&
		(q.UpdatedSince.IsZero() || !c.UpdatedAt.Before(q.UpdatedSince))
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// LabeledConversation is a conversation with its labels (sorted).
type LabeledConversation struct {
	Conversation
	Labels []string `json:"labels,omitempty"`
}

// ConversationPage is one page of a conversation query.
type ConversationPage struct {
	Conversations []LabeledConversation `json:"conversations"`
	// Next is the cursor of the following page; empty when this is the
	// last.
	Next string `json:"next,omitempty"`
}

// MessageQuery pages through a conversation's messages.
type MessageQuery struct {
	// Cursor is the previous page's Next; empty for the first page.
	Cursor string
	// Limit is the page size: 0 means DefaultPageSize, at most
	// MaxPageSize.
	Limit int
}

// Check reports what is wrong with the query (an error matching
// ErrInvalid), or nil.
func (q MessageQuery) Check() error {
	var bad []string
	if q.Limit < 0 || q.Limit > MaxPageSize {
		bad = append(bad, fmt.Sprintf("Limit %d is not between 0 and %d", q.Limit, MaxPageSize))
	}
	if q.Cursor != "" {
		if _, _, err := DecodeCursor(q.Cursor, cursorMessage); err != nil {
			bad = append(bad, "Cursor is not one this store gave")
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: message query: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}

// PageSize returns the query's page size.
func (q MessageQuery) PageSize() int { return pageSize(q.Limit) }

// MessagePage is one page of a conversation's messages.
type MessagePage struct {
	Messages []Message `json:"messages"`
	// Next is the cursor of the following page; empty when this is the
	// last.
	Next string `json:"next,omitempty"`
}

func pageSize(limit int) int {
	if limit == 0 {
		return DefaultPageSize
	}
	return limit
}

// Cursor kinds: a conversation cursor is (UpdatedAt, ID) of the last
// conversation of a page, a message cursor (CreatedAt, ID) of the last
// message.
const (
	cursorConversation = "c1"
	cursorMessage      = "m1"
)

// ConversationCursor returns the cursor that continues after c.
func ConversationCursor(c Conversation) string {
	return encodeCursor(cursorConversation, c.UpdatedAt, c.ID)
}

// MessageCursor returns the cursor that continues after m.
func MessageCursor(m Message) string { return encodeCursor(cursorMessage, m.CreatedAt, m.ID) }

// ConversationAfter decodes a conversation cursor: the UpdatedAt and ID of
// the conversation the previous page ended with.
func ConversationAfter(cursor string) (time.Time, string, error) {
	return DecodeCursor(cursor, cursorConversation)
}

// MessageAfter decodes a message cursor: the CreatedAt and ID of the
// message the previous page ended with.
func MessageAfter(cursor string) (time.Time, string, error) {
	return DecodeCursor(cursor, cursorMessage)
}

func encodeCursor(kind string, at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

// DecodeCursor decodes a cursor of the given kind ("c1" or "m1"); an
// error matches ErrInvalid.
func DecodeCursor(cursor, kind string) (time.Time, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		parts := strings.SplitN(string(raw), "|", 3)
		if len(parts) == 3 && parts[0] == kind && parts[2] != "" {
			at, err := time.Parse(time.RFC3339Nano, parts[1])
			if err == nil {
				return at, parts[2], nil
			}
		}
	}
	return time.Time{}, "", fmt.Errorf("%w: bad cursor", ErrInvalid)
}
