// Package pgtest gives tests a PostgreSQL pool and a fresh, migrated
// pgstore schema each, so Postgres-backed tests can run in parallel.
//
// # Enabling the tests
//
// The DSN comes from the environment variable LIVEDESK_TEST_POSTGRES, or
// [DefaultDSN] when it is unset. When no PostgreSQL answers there, [Pool]
// skips the test with a message saying how to enable it, except when the
// environment variable CI is set (non-empty): then a missing database fails
// the test, so CI cannot pass by skipping.
//
// # Use
//
//	func TestSomething(t *testing.T) {
//		pool := pgtest.Pool(t)
//		st, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.Schema(t, pool)})
//		...
//	}
//
// It depends on the standard testing package only.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/livedesk/livedesk/store/pgstore"
)

// EnvDSN is the environment variable holding the test database's DSN.
const EnvDSN = "LIVEDESK_TEST_POSTGRES"

// EnvCI, when set to anything, turns a missing database from a skip into a
// failure.
const EnvCI = "CI"

// DefaultDSN is used when EnvDSN is unset: a local PostgreSQL with trust
// authentication and a database named test.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// connectTimeout bounds how long Pool waits for PostgreSQL before deciding
// there is none.
const connectTimeout = 5 * time.Second

// DSN returns the test database's DSN: $LIVEDESK_TEST_POSTGRES or DefaultDSN.
func DSN() string {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return dsn
	}
	return DefaultDSN
}

// Pool connects to the test database and closes the pool when the test
// ends. Its sessions run with synchronous_commit off (unless the DSN says
// otherwise): the same transactions, without waiting for the disk. When
// PostgreSQL cannot be reached it skips the test, or fails it when CI is
// set.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(DSN())
	if err != nil {
		t.Fatalf("pgtest: %s is not a valid DSN (%s): %v", EnvDSN, redact(DSN()), err)
	}
	// Tests need no crash durability; not waiting for the WAL flush at
	// every commit makes them several times faster. A DSN that sets
	// synchronous_commit itself wins.
	if _, set := cfg.ConnConfig.RuntimeParams["synchronous_commit"]; !set {
		cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	}
	return PoolConfig(t, cfg)
}

// PoolConfig is Pool for a caller-adjusted config (tracers, pool size...),
// typically made from pgxpool.ParseConfig(DSN()).
func PoolConfig(t testing.TB, cfg *pgxpool.Config) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		if err = pool.Ping(ctx); err != nil {
			pool.Close()
		}
	}
	if err != nil {
		unavailable(t, err)
		return nil
	}
	t.Cleanup(pool.Close)
	return pool
}

// unavailable skips or, under CI, fails a test that has no database.
func unavailable(t testing.TB, err error) {
	t.Helper()
	const how = "start PostgreSQL there, or set " + EnvDSN + " to a reachable DSN"
	if os.Getenv(EnvCI) != "" {
		t.Fatalf("pgtest: no PostgreSQL at %s (%v); CI is set, so the PostgreSQL tests must run: %s", redact(DSN()), err, how)
		return
	}
	markSkipped()
	t.Skipf("pgtest: skipping, no PostgreSQL at %s (%v): to run these tests, %s", redact(DSN()), err, how)
}

// Schema creates a fresh schema named "t_" followed by random hex, migrates
// it with pgstore.Migrate and drops it (CASCADE) when the test ends. Tests
// using different schemas do not see each other and can run in parallel.
func Schema(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	schema := NewSchemaName(t)
	t.Cleanup(func() { DropSchema(t, pool, schema) })
	if err := pgstore.Migrate(t.Context(), pool, schema); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return schema
}

// NewSchemaName returns an unused schema name ("t_" and 16 random hex
// digits) without creating it; the caller drops what it creates (see
// DropSchema).
func NewSchemaName(t testing.TB) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: random schema name: %v", err)
	}
	return "t_" + hex.EncodeToString(b[:])
}

// DropSchema drops schema and everything in it. It does not use the test's
// context, which is already canceled when cleanups run.
func DropSchema(t testing.TB, pool *pgxpool.Pool, schema string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("pgtest: drop schema %s: %v", schema, err)
	}
}

// redact hides a password in a DSN before it is printed. Only URL DSNs are
// shown; a keyword/value DSN might carry a password anywhere.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "the DSN in $" + EnvDSN
	}
	if u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
