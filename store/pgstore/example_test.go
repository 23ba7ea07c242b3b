package pgstore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store/pgstore"
)

// A host opens a pool, migrates the schema once at start-up (safe when
// several replicas start together) and gives the store to the desk.
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if err := pgstore.Migrate(ctx, pool, pgstore.DefaultSchema); err != nil {
		log.Fatal(err)
	}
	st, err := pgstore.New(pool, pgstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_ = st // livedesk.New(livedesk.Config{Store: st, ...})
}

// Encrypting channel credentials: keys come from the host's secret
// manager, one of them current.
func ExampleNewKeyring() {
	key := make([]byte, pgstore.KeySize)
	if _, err := rand.Read(key); err != nil {
		log.Fatal(err)
	}
	keys, err := pgstore.NewKeyring("2026-03", map[string][]byte{"2026-03": key})
	if err != nil {
		log.Fatal(err)
	}
	sealed, _ := keys.Encrypt("0123456789abcdef0123456789abcdef", "where it is stored")
	plain, _ := keys.Decrypt(sealed, "where it is stored")
	fmt.Println(sealed[:11], plain)
	// Output: v1:2026-03: 0123456789abcdef0123456789abcdef
}

// Rotating the key: the new key becomes current, the old one stays until
// Rekey has re-encrypted every channel.
func ExampleStore_Rekey() {
	ctx := context.Background()
	oldKey, newKey := make([]byte, pgstore.KeySize), make([]byte, pgstore.KeySize)
	rand.Read(oldKey)
	rand.Read(newKey)
	keys, err := pgstore.NewKeyring("2026-06", map[string][]byte{"2026-03": oldKey, "2026-06": newKey})
	if err != nil {
		log.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	st, err := pgstore.New(pool, pgstore.Options{Keys: keys})
	if err != nil {
		log.Fatal(err)
	}
	n, err := st.Rekey(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "channels re-encrypted; key 2026-03 can be retired")
}

// A month of CSAT per agent and per week in the team's zone, tallied by
// PostgreSQL; the desk does the same when its store is a pgstore.Store.
func ExampleStore_CSATReport() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	st, err := pgstore.New(pool, pgstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	f := csat.Filter{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}
	rep, err := st.CSATReport(ctx, f, csat.PeriodWeek, paris)
	if err != nil {
		log.Fatal(err)
	}
	for id, t := range rep.ByAgent {
		fmt.Printf("%s: %d sent, %.0f%% answered, CSAT %.0f%%\n", id, t.Sent, 100*t.ResponseRate(), 100*t.CSAT())
	}
	for _, w := range rep.ByPeriod {
		fmt.Printf("week of %s: average %.1f\n", w.Start.Format("Jan 2"), w.Average())
	}
}

// A host with its own migration tool takes the SQL instead of calling
// Migrate.
func ExampleMigrations() {
	for _, m := range pgstore.Migrations() {
		sql, err := m.ForSchema("support")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%04d_%s.sql: %d bytes\n", m.Version, m.Name, len(sql))
	}
}
