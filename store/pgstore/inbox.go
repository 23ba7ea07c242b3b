package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

// recordInboundSQL calls the record_inbound function (migration 0005) and
// spreads its three row values into plain columns, so pgx needs no
// composite type registration and the call is one statement.
//
// The stored webhook (inbound, jsonb, about a kilobyte) comes back only
// for a duplicate: for a new message the caller has it already
// (messageScan.message's known).
func recordInboundSQL() string {
	message := strings.Replace(cols(messageColumns, "(r.o_message)."), "(r.o_message).inbound,",
		"CASE WHEN r.o_duplicate THEN (r.o_message).inbound END,", 1)
	return `SELECT r.o_duplicate, r.o_new_contact, r.o_new_conversation, ` + message + `, ` +
		cols(contactColumns, "(r.o_contact).") + `, ` +
		cols(conversationColumns, "(r.o_conversation).") + `, ` +
		cols(surveyColumns, "(r.o_survey).") + `, r.o_survey_outcome
	FROM {{schema}}.record_inbound($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) r`
}

// unprocessedSQL reads the unprocessed table (migration 0004) in arrival
// order and the messages it names.
func unprocessedSQL() string {
	return `SELECT ` + cols(messageColumns, "m.") + ` FROM {{schema}}.unprocessed u
	JOIN {{schema}}.messages m ON m.id = u.message_id
	WHERE u.created_at < $1 AND NOT m.processed
	ORDER BY u.created_at, u.seq LIMIT $2`
}

// finishSQL is FinishInbound when there is nothing to queue, the usual
// case: a plain update, far cheaper to plan and run than queueSQL. It
// marks the message processed and removes its unprocessed row; with no
// index on processed the update stays on the row's page (HOT). It updates
// exactly one row when the message exists, processed or not (a message
// finished again, by a retried webhook or the sweep, is rewritten with the
// same values), so the row count alone tells a missing message.
//
// It says "direction NOT IN ('out', 'internal')" (the same, by the
// table's CHECK; 'internal' is a note, migration 0007) rather than
// "direction = 'in'": that would match the predicate of the partial
// index messages_inbound_sid, and a generic plan made while the table was
// small scanned that whole index for the ID (seen: 750 rows read per call,
// 5 ms, once the table held a few thousand messages).
//
// Its commit does not wait for the disk (synchronous_commit off for this
// transaction only): a crash can lose nothing but the "processed" mark, and
// a message that loses it is processed again by the desk's sweep, which is
// idempotent. The inbound message itself was committed durably by
// RecordInbound before the webhook was answered.
func finishSQL() string {
	return finishWith(` AND set_config('synchronous_commit', 'off', true) IS NOT NULL`)
}

// finishDurableSQL is finishSQL without its own commit rule, for a
// batch that holds record calls (group.go): their commit must wait for the
// disk, and the mark shares it.
func finishDurableSQL() string { return finishWith("") }

func finishWith(cond string) string {
	return `WITH gone AS (DELETE FROM {{schema}}.unprocessed WHERE message_id = $1)
	UPDATE {{schema}}.messages SET processed = true
	WHERE id = $1 AND direction NOT IN ('out', 'internal')` + cond
}

// RecordInbound implements store.Inbox in one round trip (grouped with
// concurrent webhook calls, group.go): a single SELECT of the
// record_inbound function, which dedupes, upserts the contact and the open
// conversation and appends the message in the statement's own
// transaction. See the function in migrations/0001_init.sql for how it
// stays correct under concurrent deliveries (0004 shortened its usual
// path; 0005 stores with the message what it found: NewContact, Opened,
// SurveyOutcome, which a duplicate then returns).
func (s *Store) RecordInbound(ctx context.Context, rec store.InboundRecord) (store.InboundResult, error) {
	if err := rec.Check(); err != nil {
		return store.InboundResult{}, fmt.Errorf("pgstore: record inbound: %w", err)
	}
	in := rec.Message
	raw, err := json.Marshal(&in)
	if err != nil {
		return store.InboundResult{}, fmt.Errorf("pgstore: record inbound %s: encode webhook: %w", in.MessageSID, err)
	}
	var (
		res     store.InboundResult
		m       messageScan
		k       contactScan
		c       conversationScan
		sv      surveyScan
		outcome string
	)
	dest := make([]any, 0, 80)
	dest = append(dest, &res.Duplicate, &res.NewContact, &res.NewConversation)
	dest = append(append(append(append(dest, m.dest()...), k.dest()...), c.dest()...), sv.dest()...)
	dest = append(dest, &outcome)
	a := rec.Answer
	phone := in.Phone()
	args := []any{rec.ChannelID, in.MessageSID, phone, in.WaID, in.ProfileName,
		trimWhatsApp(in.To), in.Text(), raw, rec.ReceivedAt, a.Rating, a.Method, a.SurveyID}
	err = s.group.do(&groupCall{
		ctx: ctx,
		key: recordKey(rec.ChannelID, phone),
		queue: func(b *pgx.Batch) {
			b.Queue(s.q.recordInbound, args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
		},
		alone: func(ctx context.Context) error {
			return s.pool.QueryRow(ctx, s.q.recordInbound, args...).Scan(dest...)
		},
	})
	if err != nil {
		return store.InboundResult{}, fmt.Errorf("pgstore: record inbound %s on channel %q: %w", in.MessageSID, rec.ChannelID, err)
	}
	known := &in // what we just stored; a duplicate returns the stored copy instead
	if res.Duplicate {
		known = nil
	}
	if res.Message, err = m.message(known); err != nil {
		return store.InboundResult{}, err
	}
	if res.Contact, err = k.contact(); err != nil {
		return store.InboundResult{}, err
	}
	res.Conversation = c.conversation()
	if res.SurveyOutcome = store.SurveyOutcome(outcome); res.SurveyOutcome != store.SurveyNone {
		survey := sv.survey()
		res.Survey = &survey
	}
	return res, nil
}

// trimWhatsApp turns "whatsapp:+14155238886" into "+14155238886".
func trimWhatsApp(addr string) string {
	if rest, ok := strings.CutPrefix(addr, "whatsapp:"); ok && rest != "" {
		return rest
	}
	return addr
}

// FinishInbound implements store.Inbox in one round trip: finishSQL when
// queue is empty (grouped with concurrent webhook calls, group.go), else
// queueSQL.
func (s *Store) FinishInbound(ctx context.Context, messageID string, queue []store.Message, at time.Time) ([]store.Message, error) {
	if len(queue) == 0 {
		c := &groupCall{ctx: ctx, key: markKey(messageID), finish: messageID}
		c.alone = func(ctx context.Context) error { return s.finishAlone(ctx, c) }
		switch err := s.group.do(c); {
		case err != nil:
			return nil, fmt.Errorf("pgstore: finish inbound %q: %w", messageID, err)
		case !c.found:
			return nil, fmt.Errorf("pgstore: finish inbound %q: inbound message %q: %w", messageID, messageID, store.ErrNotFound)
		}
		return nil, nil
	}
	queued, err := s.queue(ctx, s.pool, &messageID, queue, at)
	if err != nil {
		return nil, fmt.Errorf("pgstore: finish inbound %q: %w", messageID, err)
	}
	return queued, nil
}

// UnprocessedInbound implements store.Inbox.
func (s *Store) UnprocessedInbound(ctx context.Context, before time.Time, limit int) ([]store.Message, error) {
	msgs, err := s.queryMessages(ctx, s.q.unprocessed, before, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("pgstore: unprocessed inbound: %w", err)
	}
	return msgs, nil
}

// limitArg maps the contract's "0 means no limit" to SQL's LIMIT NULL.
func limitArg(limit int) any {
	if limit <= 0 {
		return nil
	}
	return limit
}

// queryMessages runs a query returning messageColumns rows.
func (s *Store) queryMessages(ctx context.Context, sql string, args ...any) ([]store.Message, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		out  []store.Message
		scan messageScan
	)
	dest := scan.dest()
	for rows.Next() {
		scan = messageScan{}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		m, err := scan.message(nil)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
