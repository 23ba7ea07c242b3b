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

const createChannelSQL = `INSERT INTO {{schema}}.channels (` + channelColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
	ON CONFLICT (id) DO NOTHING`

const updateChannelSQL = `UPDATE {{schema}}.channels SET name = $2, account_sid = $3, phone_number = $4,
	messaging_service_sid = $5, api_key_sid = $6, auth_token = $7, secondary_auth_token = $8,
	api_key_secret = $9, settings = $10, created_at = $11, updated_at = $12
	WHERE id = $1`

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

// CreateChannel implements store.Channels.
func (s *Store) CreateChannel(ctx context.Context, ch channel.Channel) error {
	args, err := s.channelArgs(ch)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.q.createChannel, args...)
	if err != nil {
		return fmt.Errorf("pgstore: create channel %q: %w", ch.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: channel %q: %w", ch.ID, store.ErrExists)
	}
	return nil
}

// UpdateChannel implements store.Channels.
func (s *Store) UpdateChannel(ctx context.Context, ch channel.Channel) error {
	args, err := s.channelArgs(ch)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.q.updateChannel, args...)
	if err != nil {
		return fmt.Errorf("pgstore: update channel %q: %w", ch.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: channel %q: %w", ch.ID, store.ErrNotFound)
	}
	return nil
}

// channelArgs returns the arguments of createChannelSQL and
// updateChannelSQL, with the secrets sealed.
func (s *Store) channelArgs(ch channel.Channel) ([]any, error) {
	settings, err := json.Marshal(ch.Settings)
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
		sealed[0], sealed[1], sealed[2], settings, ch.CreatedAt, ch.UpdatedAt}, nil
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

// scanChannel reads one row of channelColumns and opens its secrets. It
// returns pgx.ErrNoRows unwrapped so callers can map it.
func (s *Store) scanChannel(row pgx.Row) (channel.Channel, error) {
	var (
		ch               channel.Channel
		sealed           [3]string
		settings         []byte
		created, updated pgtype.Timestamptz
	)
	t := &ch.Twilio
	err := row.Scan(&ch.ID, &ch.Name, &t.AccountSID, &t.PhoneNumber, &t.MessagingServiceSID, &t.APIKeySID,
		&sealed[0], &sealed[1], &sealed[2], &settings, &created, &updated)
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
