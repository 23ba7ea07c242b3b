package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

const (
	surveyExistsSQL = `SELECT EXISTS (SELECT 1 FROM {{schema}}.surveys WHERE id = $1)`
	keyTakenSQL     = `SELECT EXISTS (SELECT 1 FROM {{schema}}.messages WHERE key = $1)`
	otherOpenSQL    = `SELECT coalesce((SELECT id FROM {{schema}}.conversations
	WHERE contact_id = $1 AND status = 'open' AND id <> $2), '')`
)

func createSurveySQL() string {
	return `INSERT INTO {{schema}}.surveys (id, channel_id, conversation_id, contact_id, resolution, agent_id,
	ai_agent_id, message_id, sent_at, expires_at, rating, rating_method, rated_at, wants_comment, comment,
	comment_at, closed, not_sent)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
	RETURNING ` + cols(surveyColumns, "")
}

// Resolve implements store.Resolutions in one transaction. Everything that
// can fail is checked before anything changes (and the transaction rolls
// back if a concurrent writer takes a key in between). A survey message
// whose Key is taken is ErrExists: queuing nothing would leave the survey
// without its question.
func (s *Store) Resolve(ctx context.Context, r store.ResolveRequest) (store.Conversation, *store.Survey, error) {
	var (
		out    store.Conversation
		survey *store.Survey
	)
	err := s.inTx(ctx, "resolve", func(tx pgx.Tx) error {
		conv, err := s.lockConversation(ctx, tx, r.ConversationID)
		if err != nil {
			return err
		}
		if conv.Status != store.StatusOpen {
			return fmt.Errorf("resolving conversation %q (%s): %w", conv.ID, conv.Status, store.ErrNotOpen)
		}
		if err := s.checkFree(ctx, tx, r); err != nil {
			return err
		}
		owner, aiOwner := conv.AssigneeID, conv.AIAgentID
		conv.Status = store.StatusResolved
		conv.ResolvedAt = r.At
		conv.Resolutions++
		conv.QueuedAt = time.Time{}
		touch(&conv, r.At)
		if owner != "" {
			if _, err := tx.Exec(ctx, s.q.releaseAgent, owner, 1); err != nil {
				return err
			}
		}
		if err := s.dropAITurn(ctx, tx, &conv); err != nil { // nobody answers a resolved conversation
			return err
		}
		if out, err = s.saveConversation(ctx, tx, conv); err != nil {
			return err
		}
		var msgID string
		if r.SurveyMessage != nil {
			m := *r.SurveyMessage
			m.ConversationID = conv.ID
			queued, err := s.queue(ctx, tx, nil, []store.Message{m}, r.At)
			if err != nil {
				return err
			}
			if len(queued) == 0 {
				return fmt.Errorf("survey message key %q: %w", m.Key, store.ErrExists)
			}
			msgID = queued[0].ID
			if out, err = s.lockConversation(ctx, tx, conv.ID); err != nil { // re-read: queuing may stamp it
				return err
			}
		}
		if r.Survey == nil {
			return nil
		}
		sv := *r.Survey
		if sv.ID == "" {
			sv.ID = uuid.NewString()
		}
		sv.ChannelID, sv.ConversationID, sv.ContactID = conv.ChannelID, conv.ID, conv.ContactID
		sv.Resolution = conv.Resolutions
		sv.AgentID, sv.AIAgentID = owner, aiOwner
		if msgID != "" {
			sv.MessageID = msgID
		}
		created, err := s.createSurvey(ctx, tx, sv)
		if err != nil {
			return err
		}
		survey = &created
		return nil
	})
	if err != nil {
		return store.Conversation{}, nil, err
	}
	return out, survey, nil
}

// checkFree fails with ErrExists when the survey ID or the survey
// message's key is taken.
func (s *Store) checkFree(ctx context.Context, tx pgx.Tx, r store.ResolveRequest) error {
	var taken bool
	if r.Survey != nil && r.Survey.ID != "" {
		if err := tx.QueryRow(ctx, s.q.surveyExists, r.Survey.ID).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("survey %q: %w", r.Survey.ID, store.ErrExists)
		}
	}
	if r.SurveyMessage != nil && r.SurveyMessage.Key != "" {
		if err := tx.QueryRow(ctx, s.q.keyTaken, r.SurveyMessage.Key).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("survey message key %q: %w", r.SurveyMessage.Key, store.ErrExists)
		}
	}
	return nil
}

// createSurvey inserts a survey; a taken ID (a concurrent Resolve) is
// ErrExists.
func (s *Store) createSurvey(ctx context.Context, tx pgx.Tx, sv store.Survey) (store.Survey, error) {
	var scan surveyScan
	err := tx.QueryRow(ctx, s.q.createSurvey, sv.ID, sv.ChannelID, sv.ConversationID, sv.ContactID, sv.Resolution,
		nullString(sv.AgentID), nullString(sv.AIAgentID), nullString(sv.MessageID), sv.SentAt, sv.ExpiresAt, sv.Rating,
		sv.RatingMethod, nullTime(sv.RatedAt), sv.WantsComment, sv.Comment, nullTime(sv.CommentAt), sv.Closed, sv.NotSent,
	).Scan(scan.dest()...)
	if isUniqueViolation(err) {
		return store.Survey{}, fmt.Errorf("survey %q: %w", sv.ID, store.ErrExists)
	}
	if err != nil {
		return store.Survey{}, fmt.Errorf("create survey: %w", err)
	}
	return scan.survey(), nil
}

// Reopen implements store.Resolutions. It locks the contact first, like
// record_inbound, so a message opening a new conversation and a reopen
// cannot both leave the contact with an open conversation. The reopened
// conversation starts over in the channel's pool (QueueTarget cleared)
// with no owner; the agents' Open counts were already given back by
// Resolve. AIHandedOff is kept: an AI agent that gave up is not asked
// again.
func (s *Store) Reopen(ctx context.Context, conversationID string, at time.Time) (store.Conversation, error) {
	var out store.Conversation
	err := s.inTx(ctx, "reopen", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, s.q.lockContactOfConversation, conversationID); err != nil {
			return err
		}
		conv, err := s.lockConversation(ctx, tx, conversationID)
		if err != nil {
			return err
		}
		if conv.Status != store.StatusResolved {
			return fmt.Errorf("reopening conversation %q (%s): %w", conv.ID, conv.Status, store.ErrNotOpen)
		}
		var other string
		if err := tx.QueryRow(ctx, s.q.otherOpen, conv.ContactID, conv.ID).Scan(&other); err != nil {
			return err
		}
		if other != "" {
			return fmt.Errorf("reopening conversation %q: contact %q has conversation %q open: %w",
				conv.ID, conv.ContactID, other, store.ErrOtherOpen)
		}
		conv.Status = store.StatusOpen
		conv.ResolvedAt = time.Time{}
		conv.AssigneeID, conv.AIAgentID = "", ""
		conv.QueuedAt, conv.QueueTarget = at, routing.Target{}
		touch(&conv, at)
		out, err = s.saveConversation(ctx, tx, conv)
		return err
	})
	return out, err
}
