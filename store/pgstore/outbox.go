package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

// claimSQL leases due outbound messages. Only the head of a conversation's
// queue may go: a message with an earlier one of its conversation still in
// the outbox (pending or sending) waits. FOR UPDATE SKIP LOCKED lets
// concurrent workers take disjoint rows without waiting; a row another
// worker leased or finished meanwhile fails the re-check of the conditions
// on m (PostgreSQL re-evaluates them on the locked row) and is dropped. The
// head check can only err on the side of waiting: a message never returns
// to the outbox once it left. messages_due serves the scan and
// messages_outbox_conversation the head check.
// The limit is written into the text by withLimit.
func claimSQL() string {
	return `WITH due AS (
	SELECT m.id FROM {{schema}}.messages m
	WHERE m.status IN ('pending', 'sending') AND m.direction = 'out'
		AND ((m.status = 'pending' AND m.sid IS NULL AND m.next_attempt_at <= $1)
			OR (m.status = 'sending' AND m.lease_until <= $1))
		AND NOT EXISTS (
			SELECT 1 FROM {{schema}}.messages p
			WHERE p.conversation_id = m.conversation_id AND p.status IN ('pending', 'sending') AND p.seq < m.seq)
	ORDER BY m.next_attempt_at, m.seq
	{{limit}}
	FOR UPDATE SKIP LOCKED
), leased AS (
	UPDATE {{schema}}.messages m
	SET status = 'sending', lease_token = gen_random_uuid()::text, lease_until = $1 + $2::interval, updated_at = $1
	FROM due WHERE m.id = due.id
	RETURNING m.*
)
SELECT m.lease_token, v.sender, ` + cols(messageColumns, "m.") + `, ` + cols(contactColumns, "k.") + `
FROM leased m
JOIN {{schema}}.contacts k ON k.id = m.contact_id
JOIN {{schema}}.conversations v ON v.id = m.conversation_id
ORDER BY m.next_attempt_at, m.seq`
}

// Enqueue implements store.Outbox: one statement (queueSQL), plus a read
// of the existing message when the key was already taken.
func (s *Store) Enqueue(ctx context.Context, msg store.Message, at time.Time) (store.Message, bool, error) {
	queued, err := s.queue(ctx, s.pool, nil, []store.Message{msg}, at)
	if err != nil {
		return store.Message{}, false, fmt.Errorf("pgstore: enqueue %q: %w", msg.Key, err)
	}
	if len(queued) == 1 {
		return queued[0], true, nil
	}
	existing, err := s.outboundByKey(ctx, msg.Key)
	if err != nil {
		return store.Message{}, false, err
	}
	return existing, false, nil
}

// outboundByKey returns the outbound message with that idempotency key, or
// ErrNotFound.
func (s *Store) outboundByKey(ctx context.Context, key string) (store.Message, error) {
	var scan messageScan
	err := s.pool.QueryRow(ctx, s.q.outboundByKey, key).Scan(scan.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Message{}, fmt.Errorf("pgstore: outbound %q: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return store.Message{}, fmt.Errorf("pgstore: outbound %q: %w", key, err)
	}
	return scan.message(nil)
}

// ClaimOutbound implements store.Outbox in one statement (claimSQL).
func (s *Store) ClaimOutbound(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Claim, error) {
	rows, err := s.pool.Query(ctx, withLimit(s.q.claim, limit), now, lease)
	if err != nil {
		return nil, fmt.Errorf("pgstore: claim outbound: %w", err)
	}
	defer rows.Close()
	var (
		out []store.Claim
		c   store.Claim
		m   messageScan
		k   contactScan
	)
	dest := append(append([]any{&c.Lease, &c.Sender}, m.dest()...), k.dest()...)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("pgstore: claim outbound: %w", err)
		}
		claim := store.Claim{Lease: c.Lease, Sender: c.Sender}
		if claim.Message, err = m.message(nil); err != nil {
			return nil, err
		}
		if claim.Contact, err = k.contact(); err != nil {
			return nil, err
		}
		out = append(out, claim)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: claim outbound: %w", err)
	}
	return out, nil
}
