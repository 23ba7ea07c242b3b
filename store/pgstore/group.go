package pgstore

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Group commit. The two store calls of every webhook, RecordInbound and
// FinishInbound with nothing to queue, are single statements; when many
// webhooks arrive at once their statements are sent to the server
// together. A pgx batch is one round trip and runs as one implicit
// transaction, so the calls of a batch share one commit and one WAL flush.
// A call never waits for company: when a flusher is free it goes at once,
// alone; under load, the calls that arrive while the flushers are busy
// form the next batch. Each call returns only after its own statement is
// committed, so RecordInbound stays durable before the webhook is
// answered.
//
// A batch is all or nothing. When it fails (a deadlock the server broke, a
// lost connection, a statement one caller's input breaks), every call in
// it runs again alone, so each gets its own outcome and one bad call never
// fails the others. Running again is safe because both operations are
// idempotent: record_inbound reports a message it already holds as a
// duplicate, and the processed mark is the same when written twice.
//
// Lock order. The record calls of a batch run in the order of their keys
// (channel and phone; stable, so two messages of one customer keep their
// arrival order): record_inbound locks its contact first, and two batches
// taking contacts in one global order never wait on each other in a cycle.
// The processed marks of a batch go after them; they lock only rows that
// no record call locks (an existing message, its unprocessed row).

// recordKey is the key of a record call: its contact.
func recordKey(channelID, phone string) string { return channelID + "\x00" + phone }

// markKey is the key of a processed mark: after every record call (0xff
// never starts a UTF-8 sequence).
func markKey(messageID string) string { return "\xff" + messageID }

// groupCall is one caller's statement: a record call (queue set) or a
// processed mark (finish set).
type groupCall struct {
	ctx context.Context
	// key orders the record calls of a batch (see above).
	key string
	// queue adds a record call's statement to a batch, with a callback
	// that stores its result where the caller reads it.
	queue func(b *pgx.Batch)
	// finish is the message a processed mark is for; found reports
	// whether the mark found it.
	finish string
	found  bool
	// alone runs the call by itself, when it is the only one in the batch
	// or the batch failed.
	alone func(ctx context.Context) error
	err   error
	done  chan struct{}
}

// grouper batches the calls of one Store.
type grouper struct {
	s *Store
	// max is the number of calls in one batch (1: no grouping); flushers
	// the number of batches in flight at once.
	max, flushers int

	mu      sync.Mutex
	pending []*groupCall
	// running counts the flushers, inHand the calls they hold.
	running, inHand int
	// batches counts the batches of more than one call sent, reruns those
	// that failed and were rerun call by call.
	batches, reruns atomic.Int64
}

// do runs c, grouped with concurrent calls, and returns its error. It
// returns early with the context's error when c.ctx ends first; the
// statement may then still commit, as any statement whose caller stopped
// waiting may.
func (g *grouper) do(c *groupCall) error {
	if g.max <= 1 {
		return c.alone(c.ctx)
	}
	c.done = make(chan struct{})
	g.mu.Lock()
	g.pending = append(g.pending, c)
	start := g.running < g.flushers
	if start {
		g.running++
	}
	g.mu.Unlock()
	if start {
		go g.flush()
	}
	select {
	case <-c.done:
		return c.err
	case <-c.ctx.Done():
		select {
		case <-c.done: // finished too: its outcome is known
			return c.err
		default:
			return c.ctx.Err()
		}
	}
}

// calls returns the number of calls waiting in the queue and the number
// being sent.
func (g *grouper) calls() (waiting, sending int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.pending), g.inHand
}

// flush sends batches until no call is waiting.
func (g *grouper) flush() {
	sent := 0
	for {
		g.mu.Lock()
		g.inHand -= sent
		n := min(len(g.pending), g.max)
		if n == 0 {
			g.running--
			g.mu.Unlock()
			return
		}
		calls := slices.Clone(g.pending[:n])
		rest := copy(g.pending, g.pending[n:])
		clear(g.pending[rest:])
		g.pending = g.pending[:rest]
		g.inHand += n
		g.mu.Unlock()
		g.send(calls)
		sent = n
	}
}

// send runs one batch and tells each caller its outcome.
func (g *grouper) send(calls []*groupCall) {
	live := calls[:0]
	for _, c := range calls {
		if err := c.ctx.Err(); err != nil {
			c.err = err
			close(c.done)
			continue
		}
		live = append(live, c)
	}
	if len(live) == 1 {
		live[0].err = live[0].alone(live[0].ctx)
	} else if len(live) > 1 {
		g.batches.Add(1)
		if err := g.sendBatch(live); err != nil {
			g.reruns.Add(1)
			for _, c := range live {
				c.err = c.alone(c.ctx)
			}
		}
	}
	for _, c := range live {
		close(c.done)
	}
}

// sendBatch sends the calls as one batch. Its context ends when every
// caller has stopped waiting, as a single statement's would.
func (g *grouper) sendBatch(calls []*groupCall) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waiting atomic.Int64
	waiting.Store(int64(len(calls)))
	for _, c := range calls {
		stop := context.AfterFunc(c.ctx, func() {
			if waiting.Add(-1) == 0 {
				cancel()
			}
		})
		defer stop()
	}
	slices.SortStableFunc(calls, func(a, b *groupCall) int { return strings.Compare(a.key, b.key) })
	// With record calls in the batch, the commit waits for the disk: the
	// marks must not turn that off for them.
	mark := g.s.q.finish
	if slices.ContainsFunc(calls, func(c *groupCall) bool { return c.queue != nil }) {
		mark = g.s.q.finishDurable
	}
	b := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(calls))}
	for _, c := range calls {
		if c.queue != nil {
			c.queue(b)
			continue
		}
		b.Queue(mark, c.finish).Exec(func(tag pgconn.CommandTag) error {
			c.found = tag.RowsAffected() == 1
			return nil
		})
	}
	return g.s.pool.SendBatch(ctx, b).Close()
}

// finishAlone marks one message processed in its own statement.
func (s *Store) finishAlone(ctx context.Context, c *groupCall) error {
	tag, err := s.pool.Exec(ctx, s.q.finish, c.finish)
	c.found = tag.RowsAffected() == 1
	return err
}
