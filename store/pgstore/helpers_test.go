package pgstore_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// key returns a deterministic 32-byte test key.
func key(b byte) []byte { return bytes.Repeat([]byte{b}, pgstore.KeySize) }

// testKeyring returns a keyring with keys k1 (0x01...), k2 (0x02...) and
// current as the current one, limited to the IDs given.
func testKeyring(t testing.TB, current string, ids ...string) *pgstore.Keyring {
	t.Helper()
	all := map[string][]byte{"k1": key(1), "k2": key(2)}
	keys := map[string][]byte{}
	for _, id := range ids {
		keys[id] = all[id]
	}
	k, err := pgstore.NewKeyring(current, keys)
	require.NoError(t, err)
	return k
}

// newStore returns a store on a fresh schema of pool.
func newStore(t testing.TB, pool *pgxpool.Pool, keys *pgstore.Keyring) (*pgstore.Store, string) {
	t.Helper()
	schema := pgtest.Schema(t, pool)
	s, err := pgstore.New(pool, pgstore.Options{Schema: schema, Keys: keys})
	require.NoError(t, err)
	return s, schema
}

// t0 is the tests' reference time.
var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
