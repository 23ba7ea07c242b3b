package memstore_test

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
	"github.com/livedesk/livedesk/store/pgstore"
)

// openStore picks the store from configuration: memstore when no database
// is configured (development, tests, one process that may lose its
// history), pgstore otherwise (several replicas, history kept). Nothing
// else in the host changes: the desk only sees a store.Store.
func openStore(ctx context.Context, databaseURL string) (store.Store, func(), error) {
	if databaseURL == "" {
		return memstore.New(), func() {}, nil
	}
	pool, err := pgxpool.New(ctx, databaseURL)
	if err != nil {
		return nil, nil, err
	}
	if err := pgstore.Migrate(ctx, pool, pgstore.DefaultSchema); err != nil {
		pool.Close()
		return nil, nil, err
	}
	st, err := pgstore.New(pool, pgstore.Options{})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return st, pool.Close, nil
}

// Switching stores is one option: the same host code runs on memstore in
// development and on pgstore in production (pass os.Getenv("DATABASE_URL")
// to openStore; here it is empty).
func Example_switchingStores() {
	ctx := context.Background()
	st, closeStore, err := openStore(ctx, "")
	if err != nil {
		panic(err)
	}
	defer closeStore()
	desk, err := livedesk.New(livedesk.Options{PublicURL: "https://support.example.com/livedesk", Store: st, SkipTwilioChecks: true})
	if err != nil {
		panic(err)
	}
	ch, err := desk.CreateChannel(ctx, livedesktest.TestChannel())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%T holds channel %q at version %d\n", desk.Store(), ch.Name, ch.Version)
	// Output:
	// *memstore.Store holds channel "Support" at version 1
}
