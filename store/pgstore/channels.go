package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

const channelColumns = `id, name, account_sid, phone_number, messaging_service_sid, api_key_sid,
	auth_token, secondary_auth_token, api_key_secret, settings, created_at, updated_at`

// channelReadColumns are channelColumns, the version and the members (as
// scanChannel reads them) of the channels row in scope: the human agents'
// IDs and the AI agents as a JSON array of channel.AIAgentRef, each in the
// order they were added.
const channelReadColumns = channelColumns + `, version,
	array(SELECT m.member_id FROM {{schema}}.channel_members m
		WHERE m.channel_id = channels.id AND m.kind = 'agent' ORDER BY m.seq),
	(SELECT json_agg(json_build_object('id', m.member_id, 'enabled', m.enabled) ORDER BY m.seq)
		FROM {{schema}}.channel_members m WHERE m.channel_id = channels.id AND m.kind = 'ai')`

// createChannelSQL inserts the channel and its first members ($14 kinds,
// $15 IDs, $16 enabled flags, in order) in one statement; a taken ID
// inserts nothing and returns no row.
const createChannelSQL = `WITH ch AS (
	INSERT INTO {{schema}}.channels (` + channelColumns + `, version)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
	ON CONFLICT (id) DO NOTHING
	RETURNING id, created_at
), members AS (
	INSERT INTO {{schema}}.channel_members (channel_id, kind, member_id, enabled, added_at)
	SELECT ch.id, m.kind, m.member_id, m.enabled, ch.created_at
	FROM ch, unnest($14::text[], $15::text[], $16::boolean[]) WITH ORDINALITY AS m(kind, member_id, enabled, ord)
	ORDER BY m.ord
	ON CONFLICT DO NOTHING
)
SELECT id FROM ch`

// updateChannelSQL is the compare-and-swap of UpdateChannel: it writes
// only when $12 is the stored version (the row is locked and the
// condition checked again on the latest row, so of two updates from the
// same version one wins). created_at and the members are kept.
const updateChannelSQL = `UPDATE {{schema}}.channels SET name = $2, account_sid = $3, phone_number = $4,
	messaging_service_sid = $5, api_key_sid = $6, auth_token = $7, secondary_auth_token = $8,
	api_key_secret = $9, settings = $10, updated_at = $11, version = version + 1
	WHERE id = $1 AND version = $12
	RETURNING ` + channelReadColumns

const channelExistsSQL = `SELECT EXISTS (SELECT 1 FROM {{schema}}.channels WHERE id = $1)`

// secretColumns are the channel columns that go through the Keyring, in
// the order of channelSecrets.
var secretColumns = [3]string{"auth_token", "secondary_auth_token", "api_key_secret"}

func channelSecrets(t *channel.Twilio) [3]*channel.Secret {
	return [3]*channel.Secret{&t.AuthToken, &t.SecondaryAuthToken, &t.APIKeySecret}
}

// secretAAD binds an encrypted secret to its channel and column, so a value
// copied to another row or column does not decrypt.
func secretAAD(channelID, column string) string {
	return "livedesk/channels/" + channelID + "/" + column
}

// CreateChannel implements store.Channels in one statement: the channel
// and its members (ch.Settings.Assignment's Agents and AIAgents, in that
// order) are inserted together.
func (s *Store) CreateChannel(ctx context.Context, ch channel.Channel) error {
	args, err := s.channelArgs(ch)
	if err != nil {
		return err
	}
	as := ch.Settings.Assignment
	n := len(as.Agents) + len(as.AIAgents)
	kinds, ids, enabled := make([]string, 0, n), make([]string, 0, n), make([]bool, 0, n)
	for _, id := range as.Agents {
		kinds, ids, enabled = append(kinds, memberAgent), append(ids, id), append(enabled, true)
	}
	for _, r := range as.AIAgents {
		kinds, ids, enabled = append(kinds, memberAI), append(ids, r.ID), append(enabled, r.Enabled)
	}
	args = append(args, ch.CreatedAt, ch.UpdatedAt, int64(1), kinds, ids, enabled)
	var id string
	err = s.pool.QueryRow(ctx, s.q.createChannel, args...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("pgstore: channel %q: %w", ch.ID, store.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("pgstore: create channel %q: %w", ch.ID, err)
	}
	return nil
}

// UpdateChannel implements store.Channels in one statement
// (updateChannelSQL), plus a check that the channel exists when it wrote
// nothing, to tell ErrConflict from ErrNotFound.
func (s *Store) UpdateChannel(ctx context.Context, ch channel.Channel) (channel.Channel, error) {
	args, err := s.channelArgs(ch)
	if err != nil {
		return channel.Channel{}, err
	}
	args = append(args, ch.UpdatedAt, ch.Version)
	stored, err := s.scanChannel(s.pool.QueryRow(ctx, s.q.updateChannel, args...))
	if err == nil {
		return stored, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return channel.Channel{}, fmt.Errorf("pgstore: update channel %q: %w", ch.ID, err)
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, s.q.channelExists, ch.ID).Scan(&exists); err != nil {
		return channel.Channel{}, fmt.Errorf("pgstore: update channel %q: %w", ch.ID, err)
	}
	if !exists {
		return channel.Channel{}, fmt.Errorf("pgstore: channel %q: %w", ch.ID, store.ErrNotFound)
	}
	return channel.Channel{}, fmt.Errorf("pgstore: update channel %q from version %d: %w", ch.ID, ch.Version, store.ErrConflict)
}

// channelArgs returns the first ten arguments of createChannelSQL and
// updateChannelSQL: the ID, name, credentials (with the secrets sealed)
// and the settings without the members, which are stored apart.
func (s *Store) channelArgs(ch channel.Channel) ([]any, error) {
	set := ch.Settings
	set.Assignment.Agents, set.Assignment.AIAgents = nil, nil
	settings, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("pgstore: channel %q: settings: %w", ch.ID, err)
	}
	var sealed [3]string
	for i, sec := range channelSecrets(&ch.Twilio) {
		sealed[i] = sec.Reveal()
		if s.keys != nil {
			if sealed[i], err = s.keys.Encrypt(sec.Reveal(), secretAAD(ch.ID, secretColumns[i])); err != nil {
				return nil, fmt.Errorf("pgstore: channel %q: %s: %w", ch.ID, secretColumns[i], err)
			}
		}
	}
	t := ch.Twilio
	return []any{ch.ID, ch.Name, t.AccountSID, t.PhoneNumber, t.MessagingServiceSID, t.APIKeySID,
		sealed[0], sealed[1], sealed[2], settings}, nil
}

// Channel implements store.Channels.
func (s *Store) Channel(ctx context.Context, id string) (channel.Channel, error) {
	ch, err := s.scanChannel(s.pool.QueryRow(ctx, s.q.channel, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return channel.Channel{}, fmt.Errorf("pgstore: channel %q: %w", id, store.ErrNotFound)
	}
	return ch, err
}

// ListChannels implements store.Channels.
func (s *Store) ListChannels(ctx context.Context) ([]channel.Channel, error) {
	rows, err := s.pool.Query(ctx, s.q.listChannels)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list channels: %w", err)
	}
	defer rows.Close()
	var out []channel.Channel
	for rows.Next() {
		ch, err := s.scanChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: list channels: %w", err)
	}
	return out, nil
}

// DeleteChannel implements store.Channels.
func (s *Store) DeleteChannel(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, s.q.deleteChannel, id)
	if err != nil {
		return fmt.Errorf("pgstore: delete channel %q: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: channel %q: %w", id, store.ErrNotFound)
	}
	return nil
}

// scanChannel reads one row of channelReadColumns and opens its secrets. It
// returns pgx.ErrNoRows unwrapped so callers can map it.
func (s *Store) scanChannel(row pgx.Row) (channel.Channel, error) {
	var (
		ch                 channel.Channel
		sealed             [3]string
		settings, aiAgents []byte
		agents             []string
		created, updated   pgtype.Timestamptz
	)
	t := &ch.Twilio
	err := row.Scan(&ch.ID, &ch.Name, &t.AccountSID, &t.PhoneNumber, &t.MessagingServiceSID, &t.APIKeySID,
		&sealed[0], &sealed[1], &sealed[2], &settings, &created, &updated, &ch.Version, &agents, &aiAgents)
	if errors.Is(err, pgx.ErrNoRows) {
		return channel.Channel{}, err
	}
	if err != nil {
		return channel.Channel{}, fmt.Errorf("pgstore: read channel: %w", err)
	}
	ch.CreatedAt, ch.UpdatedAt = utc(created), utc(updated)
	if err := json.Unmarshal(settings, &ch.Settings); err != nil {
		return channel.Channel{}, fmt.Errorf("pgstore: channel %q: settings: %w", ch.ID, err)
	}
	// The members come from channel_members only (migration 0005 moved
	// them out of the settings); no members is nil, as before.
	ch.Settings.Assignment.Agents, ch.Settings.Assignment.AIAgents = nil, nil
	if len(agents) > 0 {
		ch.Settings.Assignment.Agents = agents
	}
	if err := unmarshalJSON(aiAgents, &ch.Settings.Assignment.AIAgents); err != nil {
		return channel.Channel{}, fmt.Errorf("pgstore: channel %q: AI agents: %w", ch.ID, err)
	}
	for i, sec := range channelSecrets(t) {
		plain, err := s.openSecret(ch.ID, secretColumns[i], sealed[i])
		if err != nil {
			return channel.Channel{}, err
		}
		*sec = channel.Secret(plain)
	}
	return ch, nil
}

// openSecret decrypts a stored secret; clear values pass through.
func (s *Store) openSecret(channelID, column, stored string) (string, error) {
	if s.keys == nil {
		if id, ok := encryptedWith(stored); ok {
			return "", fmt.Errorf("%w: channel %q %s is encrypted with key %q: set Options.Keys", ErrNoKeyring, channelID, column, id)
		}
		return stored, nil
	}
	plain, err := s.keys.Decrypt(stored, secretAAD(channelID, column))
	if err != nil {
		return "", fmt.Errorf("pgstore: channel %q %s: %w", channelID, column, err)
	}
	return plain, nil
}
