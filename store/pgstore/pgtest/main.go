package pgtest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// SkipMarker is the file Main writes in the package directory when it
// skips, so that go test does not cache a run that tested nothing against
// PostgreSQL (it never caches a run that read a file changed in the last
// two seconds). Ignore it in version control.
const SkipMarker = ".pgtest-skipped"

// Main runs a package's tests; call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// When no PostgreSQL answers at DSN() and CI is unset, the package's
// PostgreSQL tests skip; go test shows a package's output only with -v or
// on failure, so Main also writes one line saying so, and how to run them,
// to go test's own standard error, where it shows in the normal output.
// Without -v the line goes to the parent process's standard error (Linux
// /proc), else to /dev/tty, else to standard output.
func Main(m *testing.M) {
	flag.Parse()
	if os.Getenv(EnvCI) == "" {
		if err := probe(); err != nil {
			announce(skipNotice(err))
		}
	}
	mainRunning.Store(true)
	code := m.Run()
	if skipped.Load() {
		// Pool opened the marker during the run (go test records the files
		// a test opens); a fresh modification time now makes go test
		// refuse to cache this run.
		_ = os.WriteFile(SkipMarker, []byte("the PostgreSQL tests of this package were skipped; see pgtest.Main\n"), 0o644)
	}
	os.Exit(code)
}

// mainRunning is set by Main; skipped by a test that skipped for want of
// PostgreSQL under Main.
var mainRunning, skipped atomic.Bool

// markSkipped records, under Main, that a test skipped, and opens
// SkipMarker so that go test records it as an input of this run.
func markSkipped() {
	if !mainRunning.Load() {
		return
	}
	skipped.Store(true)
	if f, err := os.OpenFile(SkipMarker, os.O_RDONLY|os.O_CREATE, 0o644); err == nil {
		f.Close()
	}
}

// probe reports why PostgreSQL cannot be reached at DSN(), or nil. A DSN
// that does not parse is left to Pool, which fails the tests.
func probe() error {
	cfg, err := pgxpool.ParseConfig(DSN())
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	return pool.Ping(ctx)
}

func skipNotice(err error) string {
	reason := strings.Join(strings.Fields(err.Error()), " ") // one line
	return fmt.Sprintf("pgtest: %s: SKIPPED its PostgreSQL tests: no PostgreSQL at %s (%v). To run them, start PostgreSQL there or set %s=postgres://user@host:port/db, then run go test again (CI=true makes them required).",
		packageDir(), redact(DSN()), reason, EnvDSN)
}

// packageDir is the test's package directory relative to the module root
// (go test runs a test binary in its package's directory).
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if rel, err := filepath.Rel(dir, wd); err == nil {
				return path.Join(".", filepath.ToSlash(rel))
			}
			return wd
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd
		}
		dir = parent
	}
}

// announce writes line where go test's normal output shows it.
func announce(line string) {
	if testing.Verbose() {
		fmt.Println(line) // shown by go test -v
		return
	}
	for _, name := range []string{fmt.Sprintf("/proc/%d/fd/2", os.Getppid()), "/dev/tty"} {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			continue
		}
		_, err = fmt.Fprintln(f, line)
		f.Close()
		if err == nil {
			return
		}
	}
	fmt.Println(line)
}
