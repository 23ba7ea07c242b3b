package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

const lockSecretsSQL = `SELECT id, auth_token, secondary_auth_token, api_key_secret
	FROM {{schema}}.channels ORDER BY id FOR UPDATE`

const updateSecretsSQL = `UPDATE {{schema}}.channels
	SET auth_token = $2, secondary_auth_token = $3, api_key_secret = $4 WHERE id = $1`

// Rekey re-encrypts every channel's secrets with the Keyring's current key
// and returns how many channels it rewrote. Secrets stored in clear (before
// Options.Keys was set) are encrypted too; secrets already under the current
// key are left alone, so running it again is cheap.
//
// Key rotation: add a new key and make it current in NewKeyring (keeping the
// old one), deploy, run Rekey, then drop the old key. Rekey runs in one
// transaction holding every channel row: it either rewrites all of them or
// none. It fails with a wrapped ErrUnknownKey or ErrDecrypt when a secret
// cannot be read, naming the channel, column and key ID.
func (s *Store) Rekey(ctx context.Context) (int, error) {
	if s.keys == nil {
		return 0, errors.New("pgstore: Rekey needs a Keyring: set Options.Keys")
	}
	type row struct {
		id     string
		secret [3]string
	}
	changed := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, s.q.lockSecrets)
		if err != nil {
			return err
		}
		all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.id, &x.secret[0], &x.secret[1], &x.secret[2])
			return x, err
		})
		if err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for _, r := range all {
			next, dirty, err := s.rekeyRow(r.id, r.secret)
			if err != nil {
				return err
			}
			if dirty {
				batch.Queue(s.q.updateSecrets, r.id, next[0], next[1], next[2])
			}
		}
		changed = batch.Len()
		if changed == 0 {
			return nil
		}
		return tx.SendBatch(ctx, batch).Close()
	})
	if err != nil {
		return 0, fmt.Errorf("pgstore: rekey: %w", err)
	}
	return changed, nil
}

// rekeyRow re-seals one channel's secrets, reporting whether any was not
// already under the current key.
func (s *Store) rekeyRow(id string, stored [3]string) (next [3]string, dirty bool, err error) {
	for i, v := range stored {
		next[i] = v
		if v == "" {
			continue
		}
		if kid, ok := encryptedWith(v); ok && kid == s.keys.Current() {
			// Still decrypt: a value that no longer opens must be reported
			// now, not when the desk needs the token.
			if _, err := s.openSecret(id, secretColumns[i], v); err != nil {
				return next, false, err
			}
			continue
		}
		plain, err := s.openSecret(id, secretColumns[i], v)
		if err != nil {
			return next, false, err
		}
		if next[i], err = s.keys.Encrypt(plain, secretAAD(id, secretColumns[i])); err != nil {
			return next, false, err
		}
		dirty = true
	}
	return next, dirty, nil
}
