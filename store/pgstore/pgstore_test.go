package pgstore_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
	"github.com/livedesk/livedesk/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.Schema(t, pool)})
		require.NoError(t, err)
		return s
	})
}

// TestConformanceEncrypted runs the suite's channel rules again with a
// Keyring, so every channel read and write goes through encryption. The
// keyring touches nothing else, so the other groups are skipped.
func TestConformanceEncrypted(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	keys := testKeyring(t, "k1", "k1")
	storetest.Run(t, func(t *testing.T) store.Store {
		if !strings.Contains(t.Name(), "/Channels/") {
			t.Skip("the keyring only changes how channels are stored; TestConformance covers this")
		}
		s, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.Schema(t, pool), Keys: keys})
		require.NoError(t, err)
		return s
	})
}
