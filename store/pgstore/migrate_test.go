package pgstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

func TestValidSchema(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, schema string
		ok           bool
	}{
		{"default", "livedesk", true},
		{"underscores and digits", "_desk_2", true},
		{"a reserved word is still a plain identifier", "user", true},
		{"63 bytes", strings.Repeat("a", 63), true},
		{"empty", "", false},
		{"64 bytes", strings.Repeat("a", 64), false},
		{"leading digit", "1desk", false},
		{"uppercase", "LiveDesk", false},
		{"dash", "live-desk", false},
		{"dot", "live.desk", false},
		{"quote", `live"desk`, false},
		{"injection", "x; DROP TABLE y", false},
		{"non-ASCII", "désk", false},
		{"reserved pg_ prefix", "pg_desk", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := pgstore.ValidSchema(c.schema)
			if c.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, "pgstore: schema")
			_, err = pgstore.New(&pgxpool.Pool{}, pgstore.Options{Schema: c.schema})
			if c.schema == "" {
				require.NoError(t, err, "empty means the default schema")
				return
			}
			require.Error(t, err, "New")
			require.Error(t, pgstore.Migrate(context.Background(), &pgxpool.Pool{}, c.schema), "Migrate")
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	s, err := pgstore.New(&pgxpool.Pool{}, pgstore.Options{})
	require.NoError(t, err)
	require.Equal(t, "livedesk", s.Schema())
	_, err = pgstore.New(nil, pgstore.Options{})
	require.ErrorContains(t, err, "nil")
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	ms := pgstore.Migrations()
	require.NotEmpty(t, ms)
	for i, m := range ms {
		require.Equal(t, i+1, m.Version, "versions are 1, 2, 3... without gaps")
		require.NotEmpty(t, m.Name)
		require.Contains(t, m.SQL, "{{schema}}")
		sql, err := m.ForSchema("desk")
		require.NoError(t, err)
		require.NotContains(t, sql, "{{schema}}")
		require.Contains(t, sql, `"desk".`)
		_, err = m.ForSchema("Bad-Name")
		require.Error(t, err)
	}
	require.Equal(t, "init", ms[0].Name)
}

// versions returns the versions recorded in schema's version table.
func versions(t *testing.T, pool *pgxpool.Pool, schema string) []int {
	t.Helper()
	rows, err := pool.Query(t.Context(), "SELECT version FROM "+pgx.Identifier{schema, "livedesk_migrations"}.Sanitize()+" ORDER BY version")
	require.NoError(t, err)
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	return vs
}

func allVersions() []int {
	var vs []int
	for _, m := range pgstore.Migrations() {
		vs = append(vs, m.Version)
	}
	return vs
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)

	t.Run("a second Migrate is a no-op", func(t *testing.T) {
		s, schema := newStore(t, pool, nil)
		require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch1")))
		require.NoError(t, pgstore.Migrate(t.Context(), pool, schema))
		require.Equal(t, allVersions(), versions(t, pool, schema))
		_, err := s.Channel(t.Context(), "ch1")
		require.NoError(t, err, "data kept")
	})

	t.Run("5 concurrent Migrates on a fresh schema apply each migration once", func(t *testing.T) {
		schema := pgtest.NewSchemaName(t)
		t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
		var wg sync.WaitGroup
		errs := make([]error, 5)
		start := make(chan struct{})
		for i := range errs {
			wg.Go(func() {
				<-start
				errs[i] = pgstore.Migrate(context.Background(), pool, schema)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "Migrate #%d", i)
		}
		require.Equal(t, allVersions(), versions(t, pool, schema))
		s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
		require.NoError(t, err)
		require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch1")))
	})

	t.Run("the exported SQL works without Migrate", func(t *testing.T) {
		schema := pgtest.NewSchemaName(t)
		t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
		for _, m := range pgstore.Migrations() {
			sql, err := m.ForSchema(schema)
			require.NoError(t, err)
			_, err = pool.Exec(t.Context(), sql)
			require.NoError(t, err, "migration %d", m.Version)
		}
		s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
		require.NoError(t, err)
		require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch1")))
		_, err = s.RecordInbound(t.Context(), inboundAt("ch1", "+14155550100", 1, t0))
		require.NoError(t, err)
	})

	t.Run("upgrading keeps the data of earlier versions", func(t *testing.T) {
		schema := pgtest.NewSchemaName(t)
		t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
		require.NoError(t, pgstore.MigrateTo(t.Context(), pool, schema, 1))
		require.Equal(t, []int{1}, versions(t, pool, schema))
		q := pgx.Identifier{schema}.Sanitize()
		// A version-1 database with a customer, written as version 1 would.
		_, err := pool.Exec(t.Context(), `INSERT INTO `+q+`.channels (id, name, created_at, updated_at) VALUES ('ch1', 'Support', now(), now());
			SELECT * FROM `+q+`.record_inbound('ch1', 'SM1', '+14155550100', '14155550100', 'Ana', '+14155238886', 'hi', '{}', now())`)
		require.NoError(t, err)

		require.NoError(t, pgstore.Migrate(t.Context(), pool, schema))
		require.Equal(t, allVersions(), versions(t, pool, schema))
		s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
		require.NoError(t, err)
		convs, err := s.ListConversations(t.Context(), store.ConversationFilter{})
		require.NoError(t, err)
		require.Len(t, convs, 1)
		require.Equal(t, 0, convs[0].Resolutions, "new columns get their defaults")
		pending, err := s.UnprocessedInbound(t.Context(), t0.Add(100*365*24*time.Hour), 0)
		require.NoError(t, err)
		require.Len(t, pending, 1, "0004 lists the messages recorded before it as unprocessed")
		_, err = s.FinishInbound(t.Context(), pending[0].ID, nil, t0)
		require.NoError(t, err)
		pending, err = s.UnprocessedInbound(t.Context(), t0.Add(100*365*24*time.Hour), 0)
		require.NoError(t, err)
		require.Empty(t, pending, "finishing it removes it")
		res, err := s.RecordInbound(t.Context(), inboundAt("ch1", "+14155550100", 2, t0))
		require.NoError(t, err, "the new record_inbound replaced the old one")
		require.Equal(t, convs[0].ID, res.Conversation.ID)
		msgs, err := s.Messages(t.Context(), convs[0].ID)
		require.NoError(t, err)
		require.Len(t, msgs, 2)
	})

	t.Run("an unmigrated schema fails with the database's error", func(t *testing.T) {
		s, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.NewSchemaName(t)})
		require.NoError(t, err)
		_, err = s.Channel(t.Context(), "ch1")
		require.ErrorContains(t, err, "does not exist")
	})
}
