package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

// completeSQL records a send attempt if the lease token still holds the
// message. The row is locked in cur, so the status computed from it cannot
// race a status callback. The result is no row when the message does not
// exist, else one row: whether the lease held, and the message (updated, or
// as it is when the lease was lost).
func completeSQL() string {
	return `WITH cur AS (
	SELECT * FROM {{schema}}.messages WHERE id = $1 AND direction = 'out' FOR NO KEY UPDATE
), upd AS (
	UPDATE {{schema}}.messages m SET
		attempts = m.attempts + 1, updated_at = $4, error_code = $5, error = $6,
		lease_token = NULL, lease_until = NULL,
		sid = CASE WHEN $3 = 'sent' THEN coalesce(m.sid, nullif($7, '')) ELSE m.sid END,
		status = CASE
			WHEN $3 = 'sent' THEN coalesce(
				{{schema}}.next_status(CASE WHEN m.status = 'sending' THEN 'queued' ELSE m.status END, $8),
				CASE WHEN m.status = 'sending' THEN 'queued' ELSE m.status END)
			WHEN m.status <> 'sending' THEN m.status
			WHEN $3 = 'retry' THEN 'pending'
			ELSE 'failed' END,
		next_attempt_at = CASE WHEN $3 = 'retry' THEN $9 ELSE m.next_attempt_at END
	FROM cur WHERE m.id = cur.id AND cur.lease_token = $2
	RETURNING m.*
)
SELECT true, ` + cols(messageColumns, "upd.") + ` FROM upd
UNION ALL
SELECT false, ` + cols(messageColumns, "cur.") + ` FROM cur WHERE NOT EXISTS (SELECT 1 FROM upd)`
}

// applyStatusSQL applies a status callback to the message matched by where
// ($1 message ID, $2 channel, $3 SID). Pending and sending count as "no
// provider status yet", so any provider status is progress. The status only
// moves by next_status, computed on the locked row, so concurrent callbacks
// cannot move it back. The old status comes back to tell "changed".
func applyStatusSQL(where string) string {
	return `WITH cur AS (
	SELECT m.id, m.status FROM {{schema}}.messages m WHERE ` + where + ` AND m.direction = 'out' FOR NO KEY UPDATE
), upd AS (
	UPDATE {{schema}}.messages m SET
		sid = coalesce(m.sid, nullif($3, '')),
		error_code = CASE WHEN $4 <> 0 THEN $4 ELSE m.error_code END,
		error = CASE WHEN $4 <> 0 THEN $5 ELSE m.error END,
		status = coalesce({{schema}}.next_status(
			CASE WHEN m.status IN ('pending', 'sending') THEN '' ELSE m.status END, $6), m.status),
		updated_at = CASE WHEN {{schema}}.next_status(
			CASE WHEN m.status IN ('pending', 'sending') THEN '' ELSE m.status END, $6) IS NULL
			THEN m.updated_at ELSE $7 END
	FROM cur WHERE m.id = cur.id
	RETURNING cur.status AS old_status, m.contact_id AS upd_contact_id, ` + cols(messageColumns, "m.") + `
), closed AS (
	UPDATE {{schema}}.contacts k SET window_closed_at = greatest(k.window_closed_at, $7)
	FROM upd WHERE $8 AND k.id = upd.upd_contact_id
)
SELECT * FROM upd`
}

// CompleteOutbound implements store.Outbox in one statement (completeSQL).
func (s *Store) CompleteOutbound(ctx context.Context, id, lease string, r store.SendResult) (store.Message, error) {
	var (
		held bool
		scan messageScan
	)
	dest := append([]any{&held}, scan.dest()...)
	err := s.pool.QueryRow(ctx, s.q.complete, id, lease, string(r.Outcome), r.At, r.ErrorCode, r.Error, r.SID,
		string(r.Status), r.NextAttemptAt).Scan(dest...)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.Message{}, fmt.Errorf("pgstore: outbound %q: %w", id, store.ErrNotFound)
	case err != nil:
		return store.Message{}, fmt.Errorf("pgstore: complete outbound %q: %w", id, err)
	case !held:
		return store.Message{}, fmt.Errorf("pgstore: outbound %q: %w", id, store.ErrLeaseLost)
	}
	return scan.message(nil)
}

// ApplyStatus implements store.Outbox in one statement (applyStatusSQL).
func (s *Store) ApplyStatus(ctx context.Context, u store.StatusUpdate) (store.Message, bool, error) {
	if err := u.Check(); err != nil {
		return store.Message{}, false, fmt.Errorf("pgstore: apply status: %w", err)
	}
	q := s.q.applyByID
	if u.MessageID == "" {
		q = s.q.applySID
	}
	var (
		old, contactID string
		scan           messageScan
	)
	dest := append([]any{&old, &contactID}, scan.dest()...)
	err := s.pool.QueryRow(ctx, q, u.MessageID, u.ChannelID, u.SID, u.ErrorCode, u.ErrorMessage, string(u.Status),
		u.At, u.CloseWindow).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Message{}, false, fmt.Errorf("pgstore: outbound %s/%s: %w", u.MessageID, u.SID, store.ErrNotFound)
	}
	if err != nil {
		return store.Message{}, false, fmt.Errorf("pgstore: apply status to %s/%s: %w", u.MessageID, u.SID, err)
	}
	m, err := scan.message(nil)
	if err != nil {
		return store.Message{}, false, err
	}
	return m, string(m.Status) != old, nil
}
