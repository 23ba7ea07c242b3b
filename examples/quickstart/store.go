package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
)

// demoSchema is the PostgreSQL schema the quickstart uses; it is emptied at
// every start so the demo runs the same each time.
const demoSchema = "livedesk_quickstart"

// openStore returns nil (the desk's in-memory default) without a DSN, and a
// Postgres store otherwise: switching is these few lines.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if dsn == "" {
		return nil, nil
	}
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+demoSchema+" CASCADE"); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pgstore.Migrate(ctx, pool, demoSchema); err != nil {
		return nil, err
	}
	return pgstore.New(pool, pgstore.Options{Schema: demoSchema})
}
