package pgstore

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	// Version orders migrations; it is the number the file name starts with.
	Version int
	// Name is the rest of the file name ("init" for 0001_init.sql).
	Name string
	// SQL is the migration's text with the placeholder {{schema}} where the
	// schema name goes; use [Migration.ForSchema] to get runnable SQL.
	SQL string
}

// ForSchema returns the migration's SQL for schema, with the quoted schema
// name substituted for {{schema}}. Hosts that run migrations with their own
// tool apply these in Version order instead of calling [Migrate] (and must
// not mix the two: Migrate only knows what its own version table records).
func (m Migration) ForSchema(schema string) (string, error) {
	if err := ValidSchema(schema); err != nil {
		return "", err
	}
	return withSchema(m.SQL, quoteSchema(schema)), nil
}

// Migrations returns the embedded migrations in Version order.
func Migrations() []Migration {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		panic("pgstore: embedded migrations: " + err.Error()) // cannot happen: the files are compiled in
	}
	var out []Migration
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".sql")
		num, name, ok2 := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil {
			panic("pgstore: embedded migration " + e.Name() + " is not named NNNN_name.sql")
		}
		raw, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			panic("pgstore: embedded migrations: " + err.Error())
		}
		out = append(out, Migration{Version: version, Name: name, SQL: string(raw)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	return out
}

// versionTable records applied migrations in the store's schema. Its name
// is prefixed because hosts may point Schema at a schema they share.
const versionTable = "livedesk_migrations"

// Migrate brings schema up to date: it creates the schema and its version
// table if needed and applies, in order, every embedded migration not
// recorded there (also one below the highest recorded), all in one
// transaction. Calling it again is a no-op, and
// it is safe to call from several processes at once (replicas starting
// together): a transaction-scoped advisory lock keyed on the schema name
// makes them take turns, and the later ones find nothing to do. A database
// already at a newer version than this binary knows is left alone.
func Migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	return migrate(ctx, pool, schema, 0)
}

// migrate applies the migrations up to version target (0: all of them).
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string, target int) error {
	if pool == nil {
		return fmt.Errorf("pgstore: Migrate needs a *pgxpool.Pool, got nil")
	}
	if err := ValidSchema(schema); err != nil {
		return err
	}
	q := quoteSchema(schema)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLockKey(schema)); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		// Each statement below takes a new snapshot, so after the lock it
		// sees what an earlier holder committed.
		bootstrap := `CREATE SCHEMA IF NOT EXISTS ` + q + `;
			CREATE TABLE IF NOT EXISTS ` + q + `.` + versionTable + ` (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now()
			)`
		if _, err := tx.Exec(ctx, bootstrap); err != nil {
			return fmt.Errorf("create version table: %w", err)
		}
		// Every embedded migration not recorded is applied, not only those
		// above the highest recorded: migrations written on parallel
		// branches (independent by rule) may land in either order, so a
		// database may have 7 but not 6.
		rows, err := tx.Query(ctx, "SELECT version FROM "+q+"."+versionTable)
		if err != nil {
			return fmt.Errorf("read versions: %w", err)
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return fmt.Errorf("read versions: %w", err)
		}
		for _, m := range Migrations() {
			if slices.Contains(applied, m.Version) || target > 0 && m.Version > target {
				continue
			}
			if _, err := tx.Exec(ctx, withSchema(m.SQL, q)); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO "+q+"."+versionTable+" (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
				return fmt.Errorf("record migration %04d: %w", m.Version, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgstore: migrate schema %q: %w", schema, err)
	}
	return nil
}

// migrateLockKey is the advisory lock key for migrating schema: a hash, so
// different schemas migrate independently.
func migrateLockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("livedesk/pgstore/migrate/" + schema))
	return int64(h.Sum64())
}
