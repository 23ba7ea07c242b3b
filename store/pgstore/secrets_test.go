package pgstore_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// rawSecrets reads a channel's secret columns as stored, and the whole row
// as text.
func rawSecrets(t *testing.T, pool *pgxpool.Pool, schema, id string) (cols [3]string, row string) {
	t.Helper()
	q := pgx.Identifier{schema, "channels"}.Sanitize()
	err := pool.QueryRow(t.Context(), `SELECT auth_token, secondary_auth_token, api_key_secret, c::text
		FROM `+q+` c WHERE id = $1`, id).Scan(&cols[0], &cols[1], &cols[2], &row)
	require.NoError(t, err)
	return cols, row
}

func secretsOf(ch channel.Channel) [3]string {
	return [3]string{string(ch.Twilio.AuthToken), string(ch.Twilio.SecondaryAuthToken), string(ch.Twilio.APIKeySecret)}
}

// storeOn opens another Store on an existing schema, as another process
// with other keys would.
func storeOn(t *testing.T, pool *pgxpool.Pool, schema string, keys *pgstore.Keyring) *pgstore.Store {
	t.Helper()
	s, err := pgstore.New(pool, pgstore.Options{Schema: schema, Keys: keys})
	require.NoError(t, err)
	return s
}

func TestSecretsAtRest(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	ch := testChannel("ch1")
	plain := secretsOf(ch)

	t.Run("without a keyring secrets are stored in clear", func(t *testing.T) {
		s, schema := newStore(t, pool, nil)
		require.NoError(t, s.CreateChannel(t.Context(), ch))
		cols, _ := rawSecrets(t, pool, schema, "ch1")
		require.Equal(t, plain, cols)
	})

	t.Run("with a keyring no secret is visible in the database", func(t *testing.T) {
		s, schema := newStore(t, pool, testKeyring(t, "k1", "k1"))
		require.NoError(t, s.CreateChannel(t.Context(), ch))
		cols, row := rawSecrets(t, pool, schema, "ch1")
		for i, c := range cols {
			require.True(t, strings.HasPrefix(c, "v1:k1:"), "column %d: %s", i, c)
			require.NotContains(t, row, plain[i])
		}
		got, err := s.Channel(t.Context(), "ch1")
		require.NoError(t, err)
		require.Equal(t, plain, secretsOf(got))
	})

	t.Run("rotation: Rekey moves every secret to the current key", func(t *testing.T) {
		old, schema := newStore(t, pool, testKeyring(t, "k1", "k1"))
		require.NoError(t, old.CreateChannel(t.Context(), ch))
		require.NoError(t, old.CreateChannel(t.Context(), testChannel("ch2")))

		rotated := storeOn(t, pool, schema, testKeyring(t, "k2", "k1", "k2"))
		got, err := rotated.Channel(t.Context(), "ch1")
		require.NoError(t, err, "the new key ring still reads k1 values")
		require.Equal(t, plain, secretsOf(got))
		n, err := rotated.Rekey(t.Context())
		require.NoError(t, err)
		require.Equal(t, 2, n, "channels rewritten")
		for _, id := range []string{"ch1", "ch2"} {
			cols, _ := rawSecrets(t, pool, schema, id)
			for _, c := range cols {
				require.True(t, strings.HasPrefix(c, "v1:k2:"), c)
			}
		}
		n, err = rotated.Rekey(t.Context())
		require.NoError(t, err)
		require.Equal(t, 0, n, "a second Rekey has nothing to do")

		got, err = storeOn(t, pool, schema, testKeyring(t, "k2", "k2")).Channel(t.Context(), "ch1")
		require.NoError(t, err, "k1 can be dropped after Rekey")
		require.Equal(t, plain, secretsOf(got))
		_, err = old.Channel(t.Context(), "ch1")
		require.ErrorIs(t, err, pgstore.ErrUnknownKey, "a process still on k1 alone")
		require.Contains(t, err.Error(), `"k2"`)
	})

	t.Run("Rekey encrypts secrets stored in clear", func(t *testing.T) {
		clear, schema := newStore(t, pool, nil)
		require.NoError(t, clear.CreateChannel(t.Context(), ch))
		s := storeOn(t, pool, schema, testKeyring(t, "k1", "k1"))
		got, err := s.Channel(t.Context(), "ch1")
		require.NoError(t, err, "clear values are read as they are")
		require.Equal(t, plain, secretsOf(got))
		n, err := s.Rekey(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		cols, _ := rawSecrets(t, pool, schema, "ch1")
		require.True(t, strings.HasPrefix(cols[0], "v1:k1:"), cols[0])
	})

	t.Run("Rekey rewrites nothing when one secret cannot be read", func(t *testing.T) {
		s, schema := newStore(t, pool, testKeyring(t, "k1", "k1"))
		require.NoError(t, s.CreateChannel(t.Context(), ch))
		require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch2")))
		q := pgx.Identifier{schema, "channels"}.Sanitize()
		_, err := pool.Exec(t.Context(), `UPDATE `+q+` SET auth_token = 'v1:gone:AAAA' WHERE id = 'ch2'`)
		require.NoError(t, err)
		_, err = storeOn(t, pool, schema, testKeyring(t, "k2", "k1", "k2")).Rekey(t.Context())
		require.ErrorIs(t, err, pgstore.ErrUnknownKey)
		require.Contains(t, err.Error(), `"ch2"`)
		cols, _ := rawSecrets(t, pool, schema, "ch1")
		require.True(t, strings.HasPrefix(cols[0], "v1:k1:"), "ch1 untouched: %s", cols[0])
	})

	t.Run("Rekey needs a keyring", func(t *testing.T) {
		s, _ := newStore(t, pool, nil)
		_, err := s.Rekey(t.Context())
		require.ErrorContains(t, err, "Options.Keys")
	})

	failures := []struct {
		name   string
		tamper string // SQL run on the table after ch1 and ch2 were stored with k1
		reader func(t *testing.T) *pgstore.Keyring
		target error
		keyID  string
	}{
		{"encrypted, read without a keyring", "", func(*testing.T) *pgstore.Keyring { return nil }, pgstore.ErrNoKeyring, `"k1"`},
		{"the right ID with the wrong key", "", wrongK1, pgstore.ErrDecrypt, `"k1"`},
		{"a key the reader does not have", "", func(t *testing.T) *pgstore.Keyring { return testKeyring(t, "k2", "k2") }, pgstore.ErrUnknownKey, `"k1"`},
		{"tampered ciphertext", `UPDATE {t} SET auth_token = overlay(auth_token PLACING
			CASE WHEN substr(auth_token, 20, 1) = 'A' THEN 'B' ELSE 'A' END FROM 20 FOR 1) WHERE id = 'ch1'`,
			func(t *testing.T) *pgstore.Keyring { return testKeyring(t, "k1", "k1") }, pgstore.ErrDecrypt, `"k1"`},
		{"a secret copied from another channel", `UPDATE {t} SET auth_token = (SELECT auth_token FROM {t} WHERE id = 'ch2') WHERE id = 'ch1'`,
			func(t *testing.T) *pgstore.Keyring { return testKeyring(t, "k1", "k1") }, pgstore.ErrDecrypt, `"k1"`},
	}
	for _, c := range failures {
		t.Run(c.name, func(t *testing.T) {
			s, schema := newStore(t, pool, testKeyring(t, "k1", "k1"))
			require.NoError(t, s.CreateChannel(t.Context(), ch))
			require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch2")))
			if c.tamper != "" {
				_, err := pool.Exec(t.Context(), strings.ReplaceAll(c.tamper, "{t}", pgx.Identifier{schema, "channels"}.Sanitize()))
				require.NoError(t, err)
			}
			_, err := storeOn(t, pool, schema, c.reader(t)).Channel(t.Context(), "ch1")
			require.ErrorIs(t, err, c.target)
			require.Contains(t, err.Error(), c.keyID, "names the key")
			require.Contains(t, err.Error(), "auth_token", "names the column")
			for _, p := range plain {
				require.NotContains(t, err.Error(), p, "never the secret")
			}
		})
	}
}
