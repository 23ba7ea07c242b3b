package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/livedesk/livedesk/store"
)

var _ store.Health = (*Store)(nil)

// backlogSQL reads every figure of store.Backlog in one statement; each
// part is served by a partial index (the outbox's, the unprocessed
// inbound's, the queue's, 0008's failed sends) or a table of one row per
// runner.
const backlogSQL = `SELECT
	(SELECT count(*) FROM {{schema}}.messages WHERE direction = 'out' AND status IN ('pending', 'sending')),
	(SELECT min(created_at) FROM {{schema}}.messages WHERE direction = 'out' AND status IN ('pending', 'sending')),
	(SELECT count(*) FROM {{schema}}.messages WHERE direction = 'out' AND status IN ('failed', 'undelivered') AND updated_at >= $1),
	(SELECT count(*) FROM {{schema}}.messages WHERE direction = 'in' AND NOT processed),
	(SELECT count(*) FROM {{schema}}.conversations
		WHERE status = 'open' AND assignee_id IS NULL AND ai_agent_id IS NULL AND queued_at IS NOT NULL),
	(SELECT min(queued_at) FROM {{schema}}.conversations
		WHERE status = 'open' AND assignee_id IS NULL AND ai_agent_id IS NULL AND queued_at IS NOT NULL),
	(SELECT max(at) FROM {{schema}}.run_heartbeats)`

const heartbeatSQL = `INSERT INTO {{schema}}.run_heartbeats (runner, at) VALUES ($1, $2)
ON CONFLICT (runner) DO UPDATE SET at = excluded.at WHERE run_heartbeats.at < excluded.at`

// Backlog implements store.Health.
func (s *Store) Backlog(ctx context.Context, since time.Time) (store.Backlog, error) {
	var b store.Backlog
	var pending, failed, unprocessed, queued int64
	var oldestPending, oldestQueued, last pgtype.Timestamptz
	err := s.pool.QueryRow(ctx, withSchema(backlogSQL, quoteSchema(s.schema)), since).
		Scan(&pending, &oldestPending, &failed, &unprocessed, &queued, &oldestQueued, &last)
	if err != nil {
		return store.Backlog{}, fmt.Errorf("pgstore: backlog: %w", err)
	}
	b.PendingOutbound, b.FailedOutbound, b.UnprocessedInbound, b.QueuedConversations =
		int(pending), int(failed), int(unprocessed), int(queued)
	b.OldestPendingAt, b.OldestQueuedAt, b.LastRunAt = tsOrZero(oldestPending), tsOrZero(oldestQueued), tsOrZero(last)
	return b, nil
}

// Heartbeat implements store.Health.
func (s *Store) Heartbeat(ctx context.Context, runner string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, withSchema(heartbeatSQL, quoteSchema(s.schema)), runner, at); err != nil {
		return fmt.Errorf("pgstore: heartbeat: %w", err)
	}
	return nil
}

func tsOrZero(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}
