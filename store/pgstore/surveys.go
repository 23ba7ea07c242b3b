package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

const expireSurveysSQL = `UPDATE {{schema}}.surveys SET closed = true WHERE NOT closed AND expires_at <= $1`

// Survey implements store.Surveys.
func (s *Store) Survey(ctx context.Context, id string) (store.Survey, error) {
	var scan surveyScan
	err := s.pool.QueryRow(ctx, s.q.survey, id).Scan(scan.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Survey{}, fmt.Errorf("pgstore: survey %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Survey{}, fmt.Errorf("pgstore: survey %q: %w", id, err)
	}
	return scan.survey(), nil
}

// ListSurveys implements store.Surveys. Surveys sent at the same time come
// in the order they were created. As for conversations, only the filters
// that are set become conditions.
func (s *Store) ListSurveys(ctx context.Context, f store.SurveyFilter) ([]store.Survey, error) {
	var (
		sql   strings.Builder
		args  []any
		where = " WHERE "
	)
	sql.WriteString(s.q.listSurveys)
	cond := func(expr string, value any) {
		args = append(args, value)
		sql.WriteString(where + expr + " $" + strconv.Itoa(len(args)))
		where = " AND "
	}
	if f.ChannelID != "" {
		cond("channel_id =", f.ChannelID)
	}
	if f.AgentID != "" {
		cond("agent_id =", f.AgentID)
	}
	if !f.From.IsZero() {
		cond("sent_at >=", f.From)
	}
	if !f.To.IsZero() {
		cond("sent_at <", f.To)
	}
	sql.WriteString(" ORDER BY sent_at, seq")
	rows, err := s.pool.Query(ctx, sql.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list surveys: %w", err)
	}
	defer rows.Close()
	var (
		out  []store.Survey
		scan surveyScan
	)
	dest := scan.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("pgstore: list surveys: %w", err)
		}
		out = append(out, scan.survey())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: list surveys: %w", err)
	}
	return out, nil
}

// ExpireSurveys implements store.Surveys in one statement.
func (s *Store) ExpireSurveys(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, s.q.expireSurveys, now)
	if err != nil {
		return 0, fmt.Errorf("pgstore: expire surveys: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
