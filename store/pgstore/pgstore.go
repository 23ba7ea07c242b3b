package pgstore

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/livedesk/livedesk/store"
)

// DefaultSchema is the schema used when Options.Schema is empty.
const DefaultSchema = "livedesk"

// Options configure a Store. The zero value is valid: schema "livedesk",
// secrets stored in clear.
type Options struct {
	// Schema is the PostgreSQL schema holding the tables, "livedesk" when
	// empty. It must be a plain lowercase identifier (see [ValidSchema]) and
	// must have been migrated with [Migrate] (or [Migrations]).
	Schema string
	// Keys encrypts channel credentials at rest. When nil, Auth Tokens and
	// API key secrets are stored in clear.
	Keys *Keyring
	// GroupCommit is the most webhook calls (RecordInbound, and
	// FinishInbound with nothing to queue) sent to the server in one round
	// trip and committed together, when many arrive at once. A lone call
	// still goes at once; each call returns only after its own statement
	// is committed. 0 means [DefaultGroupCommit]; 1 sends every call
	// alone.
	GroupCommit int
	// GroupConns is the most batches of grouped calls in flight at once,
	// each on its own connection: one can run while another waits for the
	// disk. 0 means [DefaultGroupConns]. More is not faster on a small
	// server: what counts is the total over the replicas sharing the
	// database, best near its number of cores (see the README's
	// Performance section).
	GroupConns int
	// EventPoll is how often the store looks for new events while a reader
	// waits for them (WaitEvents): one query per interval per store,
	// whatever the number of waiters. Events appended with AppendEvents
	// also wake waiters at once (LISTEN/NOTIFY); those the webhook's
	// statements write are found by this poll. 0 means [DefaultEventPoll].
	EventPoll time.Duration
}

// DefaultGroupCommit is Options.GroupCommit when it is 0.
const DefaultGroupCommit = 32

// DefaultGroupConns is Options.GroupConns when it is 0.
const DefaultGroupConns = 2

// Store is a PostgreSQL store.Store. It is safe for concurrent use by many
// goroutines and by several processes sharing the database.
type Store struct {
	pool   *pgxpool.Pool
	schema string
	keys   *Keyring
	q      queries
	// group sends concurrent webhook calls together (group.go).
	group *grouper
	// listener and eventPoll serve WaitEvents (events.go).
	listener  *listener
	eventPoll time.Duration
}

var _ store.Store = (*Store)(nil)

// New returns a Store using pool and the tables in opts.Schema. It does no
// I/O: run [Migrate] first. The pool stays the caller's to close.
func New(pool *pgxpool.Pool, opts Options) (*Store, error) {
	if pool == nil {
		return nil, errors.New("pgstore: New needs a *pgxpool.Pool, got nil")
	}
	schema := opts.Schema
	if schema == "" {
		schema = DefaultSchema
	}
	if err := ValidSchema(schema); err != nil {
		return nil, err
	}
	group, err := orDefault("GroupCommit", opts.GroupCommit, DefaultGroupCommit)
	if err != nil {
		return nil, err
	}
	conns, err := orDefault("GroupConns", opts.GroupConns, DefaultGroupConns)
	if err != nil {
		return nil, err
	}
	s := &Store{pool: pool, schema: schema, keys: opts.Keys, q: newQueries(quoteSchema(schema))}
	s.group = &grouper{s: s, max: group, flushers: conns}
	s.listener, s.eventPoll = newListener(), opts.EventPoll
	if opts.EventPoll < 0 {
		return nil, fmt.Errorf("pgstore: Options.EventPoll is %v: use 0 for the default (%v) or a positive duration", opts.EventPoll, DefaultEventPoll)
	}
	if s.eventPoll == 0 {
		s.eventPoll = DefaultEventPoll
	}
	return s, nil
}

// orDefault returns v, or def when v is 0; a negative v is an error
// naming the option.
func orDefault(option string, v, def int) (int, error) {
	switch {
	case v < 0:
		return 0, fmt.Errorf("pgstore: Options.%s is %d: use 0 for the default (%d) or a positive number", option, v, def)
	case v == 0:
		return def, nil
	}
	return v, nil
}

// Schema returns the schema the store uses.
func (s *Store) Schema() string { return s.schema }

// ValidSchema reports whether name can be used as a schema: a plain
// lowercase PostgreSQL identifier (a letter or underscore, then letters,
// digits or underscores, at most 63 bytes) not starting with "pg_".
func ValidSchema(name string) error {
	bad := func(why string) error {
		return fmt.Errorf("pgstore: schema %q %s: use a plain lowercase identifier such as %q", name, why, DefaultSchema)
	}
	switch {
	case name == "":
		return bad("is empty")
	case len(name) > 63:
		return bad("is longer than 63 bytes")
	case strings.HasPrefix(name, "pg_"):
		return bad("starts with pg_, which PostgreSQL reserves")
	}
	for i, r := range name {
		switch {
		case r == '_' || r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return bad(fmt.Sprintf("has %q at byte %d", r, i))
		}
	}
	return nil
}

// quoteSchema quotes a validated schema name. Validation already rules out
// anything that needs quoting; quoting anyway keeps reserved words (a schema
// called "user") working.
func quoteSchema(schema string) string { return pgx.Identifier{schema}.Sanitize() }

// placeholder stands for the quoted schema name in SQL text.
const placeholder = "{{schema}}"

// withSchema substitutes the quoted schema into a SQL template.
func withSchema(sql, quoted string) string { return strings.ReplaceAll(sql, placeholder, quoted) }
