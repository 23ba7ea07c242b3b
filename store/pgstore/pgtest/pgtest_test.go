package pgtest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of
// stopping the goroutine, so Pool's decisions can be checked.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestDSN(t *testing.T) {
	t.Setenv(pgtest.EnvDSN, "")
	if got := pgtest.DSN(); got != pgtest.DefaultDSN {
		t.Fatalf("unset: DSN() = %q, want the default", got)
	}
	t.Setenv(pgtest.EnvDSN, "postgres://elsewhere/db")
	if got := pgtest.DSN(); got != "postgres://elsewhere/db" {
		t.Fatalf("set: DSN() = %q", got)
	}
}

func TestPoolWithoutDatabase(t *testing.T) {
	cases := []struct {
		name, dsn, ci string
		wantFail      bool
	}{
		{"skips locally", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", "", false},
		{"fails under CI", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", "true", true},
		{"hides a URL password", "postgres://u:hunter2@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", "", false},
		{"hides a keyword/value DSN", "host=127.0.0.1 port=1 user=u password=hunter2 sslmode=disable connect_timeout=2", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(pgtest.EnvDSN, c.dsn)
			t.Setenv(pgtest.EnvCI, c.ci)
			r := &recorder{TB: t}
			if pool := pgtest.Pool(r); pool != nil {
				t.Fatal("Pool returned a pool without a database")
			}
			msg := r.skipped
			if c.wantFail {
				msg = r.failed
				if r.skipped != "" {
					t.Fatalf("skipped under CI: %s", r.skipped)
				}
			} else if r.failed != "" {
				t.Fatalf("failed without CI: %s", r.failed)
			}
			if !strings.Contains(msg, pgtest.EnvDSN) || !strings.Contains(msg, "start PostgreSQL") {
				t.Fatalf("the message must say how to enable the tests: %q", msg)
			}
			if strings.Contains(msg, "hunter2") {
				t.Fatalf("the message shows the password: %q", msg)
			}
		})
	}
}

func TestSchema(t *testing.T) {
	pool := pgtest.Pool(t)
	exists := func(name string) bool {
		t.Helper()
		var ok bool
		err := pool.QueryRow(context.Background(),
			"SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = $1)", name).Scan(&ok)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	var a, b string
	t.Run("fresh migrated schemas", func(t *testing.T) {
		a, b = pgtest.Schema(t, pool), pgtest.Schema(t, pool)
		if a == b || !strings.HasPrefix(a, "t_") {
			t.Fatalf("want two distinct t_ schemas, got %q and %q", a, b)
		}
		var n int
		err := pool.QueryRow(t.Context(), "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'messages'", a).Scan(&n)
		if err != nil || n != 1 {
			t.Fatalf("schema %s is not migrated: %d messages tables, %v", a, n, err)
		}
	})
	if exists(a) || exists(b) {
		t.Fatalf("schemas %s, %s must be dropped when the test ends", a, b)
	}
}
