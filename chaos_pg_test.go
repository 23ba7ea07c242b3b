package livedesk_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// TestChaosPostgres: chaos.run with three desks, each with its own pool on
// one Postgres schema, and every backend of those pools terminated
// (pg_terminate_backend) every 100 webhooks. Skips without Postgres, runs
// under CI.
func TestChaosPostgres(t *testing.T) {
	admin := pgtest.Pool(t)
	schema := pgtest.Schema(t, admin)
	app := "livedesk-chaos-" + schema // names the desks' sessions, to kill only those
	var stores []store.Store
	for range 3 {
		cfg, err := pgxpool.ParseConfig(pgtest.DSN())
		require.NoError(t, err)
		cfg.ConnConfig.RuntimeParams["application_name"] = app
		cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
		s, err := pgstore.New(pgtest.PoolConfig(t, cfg), pgstore.Options{Schema: schema})
		require.NoError(t, err)
		stores = append(stores, s)
	}
	check, err := pgstore.New(admin, pgstore.Options{Schema: schema})
	require.NoError(t, err)
	var killed int64
	kill := func() {
		tag, err := admin.Exec(context.Background(),
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`, app)
		require.NoError(t, err)
		killed += tag.RowsAffected()
	}
	chaos{stores: stores, check: check, kill: kill}.run(t)
	t.Logf("%d backends terminated", killed)
	require.Positive(t, killed, "backends were terminated during the load")
}
