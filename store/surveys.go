package store

import (
	"context"
	"errors"
	"time"

	"github.com/livedesk/livedesk/csat"
)

// ErrNotOpen is returned when resolving a conversation that is not open,
// or reopening one that is not resolved.
var ErrNotOpen = errors.New("store: conversation not in the expected state")

// ErrOtherOpen is returned by Reopen when the contact already has another
// open conversation on the channel.
var ErrOtherOpen = errors.New("store: the contact has another open conversation")

// Survey is a CSAT survey sent when a conversation was resolved.
type Survey struct {
	ID             string `json:"id"`
	ChannelID      string `json:"channel_id"`
	ConversationID string `json:"conversation_id"`
	ContactID      string `json:"contact_id"`
	// Resolution is the conversation's resolution this survey is about
	// (1 for the first).
	Resolution int `json:"resolution"`
	// AgentID and AIAgentID are who handled the conversation when it was
	// resolved: the survey is attributed to them even if the conversation
	// is reassigned later.
	AgentID   string `json:"agent_id,omitempty"`
	AIAgentID string `json:"ai_agent_id,omitempty"`
	// MessageID is the outbound survey message.
	MessageID string    `json:"message_id,omitempty"`
	SentAt    time.Time `json:"sent_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// Rating is 1 to 5 once answered, 0 before.
	Rating       int       `json:"rating,omitempty"`
	RatingMethod string    `json:"rating_method,omitempty"`
	RatedAt      time.Time `json:"rated_at,omitzero"`
	// WantsComment makes the message after the rating the comment.
	WantsComment bool      `json:"wants_comment,omitempty"`
	Comment      string    `json:"comment,omitempty"`
	CommentAt    time.Time `json:"comment_at,omitzero"`
	// Closed is set when the survey stops accepting answers: answered
	// (and commented, when a comment was asked for), expired, or the
	// contact's next message was not a rating.
	Closed bool `json:"closed,omitempty"`
	// NotSent says why the survey could not be sent (WhatsApp's 24-hour
	// window was closed and no approved template is configured); such a
	// survey is created Closed, with no message, and counts in no report.
	NotSent string `json:"not_sent,omitempty"`
}

// Entry returns the survey as a report entry.
func (s Survey) Entry() csat.Entry {
	return csat.Entry{ChannelID: s.ChannelID, AgentID: s.AgentID, AIAgentID: s.AIAgentID, SentAt: s.SentAt, Rating: s.Rating}
}

// SurveyAnswer is what the desk understood of an inbound message that may
// answer a survey; it is given to RecordInbound.
type SurveyAnswer struct {
	// Rating is 1 to 5 when the message is a rating, 0 otherwise.
	Rating int
	Method string
	// SurveyID is set when a button payload named the survey.
	SurveyID string
}

// SurveyOutcome says what an inbound message did to a survey.
type SurveyOutcome string

// Survey outcomes of RecordInbound.
const (
	SurveyNone      SurveyOutcome = ""          // no open survey was involved
	SurveyRated     SurveyOutcome = "rated"     // the message was the rating
	SurveyCommented SurveyOutcome = "commented" // the message was the comment
	SurveyIgnored   SurveyOutcome = "ignored"   // not a rating: the survey closed, the message went on as usual
)

// ResolveRequest resolves a conversation.
type ResolveRequest struct {
	ConversationID string
	At             time.Time
	// Survey, when set, is created in the same atomic step (the store
	// fills ID when empty, Resolution, AgentID and AIAgentID from the
	// conversation) and SurveyMessage is queued with it (as Enqueue does;
	// its Key must be unique).
	Survey        *Survey
	SurveyMessage *Message
}

// Resolutions resolves and reopens conversations.
type Resolutions interface {
	// Resolve closes an open conversation in one atomic step: Status
	// resolved, ResolvedAt, Resolutions+1; the assigned agent's Open is
	// decremented (AssigneeID and AIAgentID are kept for history); QueuedAt
	// is cleared; the survey and its message, if any, are created. It
	// returns the conversation and the survey as stored. A pending AI turn is
	// cancelled (CompleteAITurn for it returns ErrLeaseLost). ErrNotOpen if
	// it is not open, ErrExists if the survey's ID or SurveyMessage.Key is
	// taken (nothing changes then), ErrNotFound.
	Resolve(ctx context.Context, r ResolveRequest) (Conversation, *Survey, error)
	// Reopen makes a resolved conversation open again, unowned and queued
	// (QueuedAt = at) so it is assigned afresh. ErrNotOpen if it is not
	// resolved; ErrOtherOpen if the contact has another open conversation
	// on the channel; ErrNotFound.
	Reopen(ctx context.Context, conversationID string, at time.Time) (Conversation, error)
}

// SurveyFilter selects surveys by channel, agent and SentAt in [From, To);
// zero fields match everything.
type SurveyFilter struct {
	ChannelID string
	AgentID   string
	From, To  time.Time
}

// Surveys keeps CSAT surveys. Answers are recorded by RecordInbound.
type Surveys interface {
	// Survey returns a survey, or ErrNotFound.
	Survey(ctx context.Context, id string) (Survey, error)
	// ListSurveys returns the matching surveys, oldest SentAt first.
	ListSurveys(ctx context.Context, f SurveyFilter) ([]Survey, error)
	// ExpireSurveys closes open surveys whose ExpiresAt is not after now and
	// returns how many it closed.
	ExpireSurveys(ctx context.Context, now time.Time) (int, error)
}

// SurveyAggregator is an optional capability: a store that computes CSAT
// reports itself (in SQL, say) instead of the desk reading every survey.
// The desk uses it when the Store implements it.
type SurveyAggregator interface {
	CSATReport(ctx context.Context, f csat.Filter, period csat.Period, loc *time.Location) (csat.Report, error)
}
