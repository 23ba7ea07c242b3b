package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

const createAgentSQL = `INSERT INTO {{schema}}.agents (id, name, status, capacity, teams, open, last_assigned_at,
	created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8)
	ON CONFLICT (id) DO NOTHING`

func updateAgentSQL() string {
	return `UPDATE {{schema}}.agents SET name = $2, capacity = $3, teams = $4, updated_at = $5
	WHERE id = $1 RETURNING ` + cols(agentColumns, "")
}

func setAgentStatusSQL() string {
	return `UPDATE {{schema}}.agents SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ` + cols(agentColumns, "")
}

func agentSQL() string {
	return `SELECT ` + cols(agentColumns, "") + ` FROM {{schema}}.agents WHERE id = $1`
}

func listAgentsSQL() string {
	return `SELECT ` + cols(agentColumns, "") + ` FROM {{schema}}.agents
	WHERE $1::text[] IS NULL OR id = ANY ($1) ORDER BY id`
}

// releaseAgentSQL gives back n units of an agent's capacity. A deleted
// agent has nothing to give back; the floor at zero keeps a re-created
// agent (whose count restarted) from going negative.
const releaseAgentSQL = `UPDATE {{schema}}.agents SET open = greatest(open - $2, 0) WHERE id = $1`

// CreateAgent implements store.Agents.
func (s *Store) CreateAgent(ctx context.Context, a store.Agent) error {
	if a.ID == "" {
		a.ID = uuid.NewString()
	}
	teams, err := teamsJSON(a.Teams)
	if err != nil {
		return fmt.Errorf("pgstore: agent %q: %w", a.ID, err)
	}
	tag, err := s.pool.Exec(ctx, s.q.createAgent, a.ID, a.Name, string(a.Status), a.Capacity, teams,
		nullTime(a.LastAssignedAt), a.CreatedAt, a.UpdatedAt)
	if err != nil {
		return fmt.Errorf("pgstore: create agent %q: %w", a.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: agent %q: %w", a.ID, store.ErrExists)
	}
	return nil
}

// teamsJSON encodes teams as a jsonb array ([] for none).
func teamsJSON(teams []string) ([]byte, error) {
	if teams == nil {
		teams = []string{}
	}
	return json.Marshal(teams)
}

// UpdateAgent implements store.Agents.
func (s *Store) UpdateAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	teams, err := teamsJSON(a.Teams)
	if err != nil {
		return store.Agent{}, fmt.Errorf("pgstore: agent %q: %w", a.ID, err)
	}
	return s.agentRow(s.pool.QueryRow(ctx, s.q.updateAgent, a.ID, a.Name, a.Capacity, teams, a.UpdatedAt), a.ID)
}

// SetAgentStatus implements store.Agents.
func (s *Store) SetAgentStatus(ctx context.Context, id string, st store.AgentStatus, at time.Time) (store.Agent, error) {
	return s.agentRow(s.pool.QueryRow(ctx, s.q.setAgentStatus, id, string(st), at), id)
}

// Agent implements store.Agents.
func (s *Store) Agent(ctx context.Context, id string) (store.Agent, error) {
	return s.agentRow(s.pool.QueryRow(ctx, s.q.agent, id), id)
}

// agentRow scans one agent, mapping no row to ErrNotFound.
func (s *Store) agentRow(row pgx.Row, id string) (store.Agent, error) {
	var scan agentScan
	err := row.Scan(scan.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Agent{}, fmt.Errorf("pgstore: agent %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Agent{}, fmt.Errorf("pgstore: agent %q: %w", id, err)
	}
	return scan.agent()
}

// ListAgents implements store.Agents.
func (s *Store) ListAgents(ctx context.Context, ids []string) ([]store.Agent, error) {
	rows, err := s.pool.Query(ctx, s.q.listAgents, ids) // nil ids is NULL: every agent
	if err != nil {
		return nil, fmt.Errorf("pgstore: list agents: %w", err)
	}
	defer rows.Close()
	var (
		out  []store.Agent
		scan agentScan
	)
	dest := scan.dest()
	for rows.Next() {
		scan = agentScan{}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("pgstore: list agents: %w", err)
		}
		a, err := scan.agent()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: list agents: %w", err)
	}
	return out, nil
}

// DeleteAgent implements store.Agents in one transaction: the agent's row,
// then its memberships (deleteAgentMembersSQL says why in that order).
func (s *Store) DeleteAgent(ctx context.Context, id string) error {
	return s.inTx(ctx, "delete agent "+fmt.Sprintf("%q", id), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, s.q.deleteAgent, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("agent %q: %w", id, store.ErrNotFound)
		}
		_, err = tx.Exec(ctx, s.q.deleteAgentMembers, id)
		return err
	})
}
