package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

// The horizon logic lives in SQL functions (migration 0006): readers call
// read_events, feed_state and feed_horizon, which compute the horizon and
// read the rows in separate statements.

const readEventsSQL = `SELECT seq, type, at, channel_id, conversation_id, contact_id, message_id, agent_id, ai_agent_id, data
	FROM {{schema}}.read_events($1, $2, $3, $4, $5::text[], $6)`

const feedHeadSQL = `SELECT {{schema}}.feed_horizon()`

// appendEventsSQL inserts the events and notifies the other replicas'
// waiters (delivered at commit).
const appendEventsSQL = `WITH ins AS (
	INSERT INTO {{schema}}.events (type, at, channel_id, conversation_id, contact_id, message_id, agent_id, ai_agent_id, data)
	SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
	RETURNING seq
), n AS (SELECT pg_notify('livedesk_events', $10))
SELECT ins.seq FROM ins, n`

const pruneEventsSQL = `DELETE FROM {{schema}}.events WHERE at < $1`

const claimCursorSQL = `INSERT INTO {{schema}}.feed_cursors (name, seq) VALUES ($1, $2)
	ON CONFLICT (name) DO NOTHING`

const takeCursorSQL = `UPDATE {{schema}}.feed_cursors SET lease_token = $2, lease_until = $3 + $4::interval
	WHERE name = $1 AND (lease_until IS NULL OR lease_until <= $3) AND (next_attempt_at IS NULL OR next_attempt_at <= $3)
	RETURNING seq, attempts, next_attempt_at, last_error`

const saveCursorSQL = `UPDATE {{schema}}.feed_cursors SET seq = $3, attempts = $4, next_attempt_at = $5,
	last_error = $6, lease_token = CASE WHEN $7 THEN '' ELSE lease_token END,
	lease_until = CASE WHEN $7 THEN NULL ELSE lease_until END
	WHERE name = $1 AND lease_token = $2 AND $2 <> ''`

// DefaultEventPoll is Options.EventPoll when it is 0.
const DefaultEventPoll = 50 * time.Millisecond

// listenLinger is how long the watcher (listening connection and poller)
// stays after its last waiter left, so that a reader going round its
// read-then-wait loop does not reconnect each time.
const listenLinger = 5 * time.Second

// AppendEvents implements store.Feed in one statement.
func (s *Store) AppendEvents(ctx context.Context, evs []store.Event) error {
	if len(evs) == 0 {
		return nil
	}
	cols := make([][]string, 9)
	ats := make([]time.Time, len(evs))
	for i := range cols {
		cols[i] = make([]string, len(evs))
	}
	for i, e := range evs {
		cols[0][i], ats[i] = e.Type, e.At
		cols[2][i], cols[3][i], cols[4][i], cols[5][i] = e.ChannelID, e.ConversationID, e.ContactID, e.MessageID
		cols[6][i], cols[7][i], cols[8][i] = e.AgentID, e.AIAgentID, string(e.Data)
	}
	rows, err := s.pool.Query(ctx, s.sql(appendEventsSQL), cols[0], ats, cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], s.schema)
	if err != nil {
		return fmt.Errorf("pgstore: append events: %w", err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return fmt.Errorf("pgstore: append events: %w", err)
		}
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pgstore: append events: %w", err)
	}
	// The rows were numbered in the order unnest produced them.
	slices.Sort(seqs)
	for i := range min(len(seqs), len(evs)) {
		evs[i].Position = store.Position(seqs[i])
	}
	return nil
}

// ReadEvents implements store.Feed.
func (s *Store) ReadEvents(ctx context.Context, after store.Position, f store.EventFilter, limit int) ([]store.Event, error) {
	types := f.Types
	if types == nil {
		types = []string{}
	}
	rows, err := s.pool.Query(ctx, s.sql(readEventsSQL), int64(after),
		f.ChannelID, f.ConversationID, f.AgentID, types, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("pgstore: read events: %w", err)
	}
	defer rows.Close()
	var out []store.Event
	for rows.Next() {
		var (
			e    store.Event
			seq  int64
			data string
		)
		if err := rows.Scan(&seq, &e.Type, &e.At, &e.ChannelID, &e.ConversationID, &e.ContactID,
			&e.MessageID, &e.AgentID, &e.AIAgentID, &data); err != nil {
			return nil, fmt.Errorf("pgstore: read events: %w", err)
		}
		e.Position = store.Position(seq)
		if data != "" {
			e.Data = []byte(data)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: read events: %w", err)
	}
	return out, nil
}

// FeedHead implements store.Feed.
func (s *Store) FeedHead(ctx context.Context) (store.Position, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, s.sql(feedHeadSQL)).Scan(&seq); err != nil {
		return 0, fmt.Errorf("pgstore: feed head: %w", err)
	}
	return store.Position(max(seq, 0)), nil
}

// PruneEvents implements store.Feed.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, s.sql(pruneEventsSQL), before)
	if err != nil {
		return 0, fmt.Errorf("pgstore: prune events: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// ClaimCursor implements store.Feed in two statements (create if missing,
// then take the lease).
func (s *Store) ClaimCursor(ctx context.Context, name string, start store.Position, now time.Time, lease time.Duration) (store.Cursor, error) {
	if name == "" {
		return store.Cursor{}, errors.New("pgstore: claim cursor: the name is empty")
	}
	if _, err := s.pool.Exec(ctx, s.sql(claimCursorSQL), name, int64(start)); err != nil {
		return store.Cursor{}, fmt.Errorf("pgstore: claim cursor %q: %w", name, err)
	}
	c := store.Cursor{Name: name, Lease: uuid.NewString()}
	var (
		seq  int64
		next *time.Time
	)
	err := s.pool.QueryRow(ctx, s.sql(takeCursorSQL), name, c.Lease, now, lease.String()).
		Scan(&seq, &c.Attempts, &next, &c.LastError)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.Cursor{}, fmt.Errorf("pgstore: claim cursor %q: %w", name, store.ErrCursorBusy)
	case err != nil:
		return store.Cursor{}, fmt.Errorf("pgstore: claim cursor %q: %w", name, err)
	}
	if next != nil {
		c.NextAttemptAt = *next
	}
	c.Position = store.Position(seq)
	return c, nil
}

// SaveCursor implements store.Feed.
func (s *Store) SaveCursor(ctx context.Context, c store.Cursor, release bool) error {
	var next *time.Time
	if !c.NextAttemptAt.IsZero() {
		next = &c.NextAttemptAt
	}
	tag, err := s.pool.Exec(ctx, s.sql(saveCursorSQL), c.Name, c.Lease, int64(c.Position),
		c.Attempts, next, c.LastError, release)
	if err != nil {
		return fmt.Errorf("pgstore: save cursor %q: %w", c.Name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: save cursor %q: %w", c.Name, store.ErrLeaseLost)
	}
	return nil
}

// horizon returns feed_horizon(): every event at or below it that will
// ever exist is committed.
func (s *Store) horizon(ctx context.Context) (store.Position, error) {
	var h int64
	if err := s.pool.QueryRow(ctx, s.sql(feedHeadSQL)).Scan(&h); err != nil {
		return 0, err
	}
	return store.Position(max(h, 0)), nil
}

// WaitEvents implements store.Feed. It reads the horizon once; if nothing
// is readable after the position, it waits for the store's watcher: one
// goroutine per Store (while anyone waits, and listenLinger after) that
// reads the horizon every Options.EventPoll and at once when a NOTIFY
// from AppendEvents arrives, and wakes the waiters when it moved.
func (s *Store) WaitEvents(ctx context.Context, after store.Position) error {
	l := s.listener
	l.acquire(s)
	defer l.release()
	gen, _ := l.state()
	h, err := s.horizon(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("pgstore: wait events: %w", err)
	}
	for h <= after {
		select {
		case <-gen:
		case <-ctx.Done():
			return ctx.Err()
		}
		gen, h = l.state()
	}
	return nil
}

// listener is a Store's watcher of the feed's horizon.
type listener struct {
	mu      sync.Mutex
	users   int
	gen     chan struct{} // closed when the horizon moves
	horizon store.Position
	stop    context.CancelFunc
	linger  *time.Timer
}

func newListener() *listener { return &listener{gen: make(chan struct{})} }

func (l *listener) state() (chan struct{}, store.Position) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gen, l.horizon
}

func (l *listener) publish(h store.Position) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h > l.horizon {
		l.horizon = h
		close(l.gen)
		l.gen = make(chan struct{})
	}
}

// acquire registers a waiter, starting the watcher if needed.
func (l *listener) acquire(s *Store) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users++
	if l.linger != nil {
		l.linger.Stop()
		l.linger = nil
	}
	if l.stop == nil {
		ctx, cancel := context.WithCancel(context.Background())
		l.stop = cancel
		notified := make(chan struct{}, 1)
		go l.listen(ctx, s, notified)
		go l.poll(ctx, s, notified)
	}
}

func (l *listener) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users--
	if l.users > 0 || l.stop == nil {
		return
	}
	stop := l.stop
	l.linger = time.AfterFunc(listenLinger, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.users == 0 && l.stop != nil {
			stop()
			l.stop, l.linger = nil, nil
		}
	})
}

// poll reads the horizon every EventPoll, and at once after a
// notification, until ctx ends.
func (l *listener) poll(ctx context.Context, s *Store, notified <-chan struct{}) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-notified:
		case <-t.C:
		}
		if h, err := s.horizon(ctx); err == nil {
			l.publish(h)
		}
		t.Reset(s.eventPoll)
	}
}

// listen holds a LISTEN connection until ctx ends, reconnecting after
// failures (polling covers the gap).
func (l *listener) listen(ctx context.Context, s *Store, notified chan<- struct{}) {
	for ctx.Err() == nil {
		_ = l.listenOnce(ctx, s, notified)
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (l *listener) listenOnce(ctx context.Context, s *Store, notified chan<- struct{}) error {
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := pc.Hijack() // ours to close: it ends in LISTEN state
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN livedesk_events"); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload == s.schema {
			select {
			case notified <- struct{}{}:
			default:
			}
		}
	}
}
