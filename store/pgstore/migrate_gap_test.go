package pgstore_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// Migrations written on parallel branches land in either order: a
// database that recorded a later version (here a fake 9999) still gets
// every embedded migration it has not recorded, and a Migrate after that
// is a no-op.
func TestMigrateFillsGaps(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	schema := pgtest.NewSchemaName(t)
	t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
	require.NoError(t, pgstore.MigrateTo(t.Context(), pool, schema, 5))
	_, err := pool.Exec(t.Context(), "INSERT INTO "+pgx.Identifier{schema, "livedesk_migrations"}.Sanitize()+
		" (version, name) VALUES (9999, 'from another branch')")
	require.NoError(t, err)

	require.NoError(t, pgstore.Migrate(t.Context(), pool, schema))
	want := append(allVersions(), 9999)
	require.Equal(t, want, versions(t, pool, schema), "every embedded migration applied below the highest")
	var labels bool
	require.NoError(t, pool.QueryRow(t.Context(), "SELECT to_regclass($1) IS NOT NULL",
		pgx.Identifier{schema, "conversation_labels"}.Sanitize()).Scan(&labels))
	require.True(t, labels, "0007 ran")
	require.NoError(t, pgstore.Migrate(t.Context(), pool, schema), "again: nothing to do")
	require.Equal(t, want, versions(t, pool, schema))
}
