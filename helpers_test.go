package livedesk_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

func httptestServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// pgxpoolConfig is the test database's pool config with durable commits
// (pgtest.Pool turns them off for speed; benchmarks measure the real cost).
func pgxpoolConfig() (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(pgtest.DSN())
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 16
	if os.Getenv("LIVEDESK_BENCH_ASYNC_COMMIT") != "" {
		cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	}
	return cfg, nil
}

// newPGStore returns a pgstore on a fresh schema of the test database; the
// test skips without one (and fails under CI).
func newPGStore(t *testing.T) store.Store {
	t.Helper()
	pool := pgtest.Pool(t)
	s, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.Schema(t, pool)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
