package livedesk_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// errFault is what faultStore's injected failures wrap.
var errFault = errors.New("injected store fault")

// when says whether an injected fault comes before the call reaches the
// store (nothing done) or after it (the work is done, the caller is told
// it failed: a commit whose answer was lost).
type when int

const (
	before when = iota + 1
	after
)

// faultStore wraps a store and fails chosen calls: scripted ones (Fail)
// and, with SetRate, a fraction of the calls to the methods the desk's
// webhook and delivery paths use, half before the work and half after,
// drawn from a seeded generator. It counts calls by method. Safe for
// concurrent use.
type faultStore struct {
	store.Store

	mu       sync.Mutex
	changed  *sync.Cond
	rng      *rand.Rand
	rate     float64
	script   map[string][]when
	calls    map[string]int // calls begun
	done     map[string]int // calls returned
	injected int
}

func newFaultStore(s store.Store, seed uint64) *faultStore {
	f := &faultStore{Store: s, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		script: map[string][]when{}, calls: map[string]int{}, done: map[string]int{}}
	f.changed = sync.NewCond(&f.mu)
	return f
}

// SetRate makes a fraction rate of the calls fail (0 stops it).
func (f *faultStore) SetRate(rate float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rate = rate
}

// Fail makes the next calls to op fail, one per when, in order, before
// any random fault.
func (f *faultStore) Fail(op string, ws ...when) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[op] = append(f.script[op], ws...)
}

// Calls returns how many times op was called, failed calls included.
func (f *faultStore) Calls(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// Injected returns how many faults were injected.
func (f *faultStore) Injected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.injected
}

// Done returns how many calls to op have returned.
func (f *faultStore) Done(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done[op]
}

// WaitDone blocks until at least n calls to op have returned; the test
// fails after livedesktest.WaitTimeout.
func (f *faultStore) WaitDone(t testing.TB, op string, n int) {
	t.Helper()
	stop := time.AfterFunc(livedesktest.WaitTimeout, func() { f.mu.Lock(); f.changed.Broadcast(); f.mu.Unlock() })
	defer stop.Stop()
	deadline := time.Now().Add(livedesktest.WaitTimeout)
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.done[op] < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls to %s returned after %v, want %d", f.done[op], op, livedesktest.WaitTimeout, n)
		}
		f.changed.Wait()
	}
}

// fault counts a call to op and decides whether it fails, and when.
func (f *faultStore) fault(op string) when {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	f.changed.Broadcast()
	var w when
	if s := f.script[op]; len(s) > 0 {
		w, f.script[op] = s[0], s[1:]
	} else if f.rate > 0 && f.rng.Float64() < f.rate {
		w = before
		if f.rng.IntN(2) == 1 {
			w = after
		}
	}
	if w != 0 {
		f.injected++
	}
	return w
}

func (f *faultStore) returned(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done[op]++
	f.changed.Broadcast()
}

// do runs call under op's fault decision.
func do[T any](f *faultStore, op string, call func() (T, error)) (T, error) {
	w := f.fault(op)
	defer f.returned(op)
	if w == before {
		var zero T
		return zero, fmt.Errorf("%s: %w (before)", op, errFault)
	}
	v, err := call()
	if w == after && err == nil {
		return v, fmt.Errorf("%s: %w (after the work was done)", op, errFault)
	}
	return v, err
}

func (f *faultStore) Channel(ctx context.Context, id string) (channel.Channel, error) {
	return do(f, "Channel", func() (channel.Channel, error) { return f.Store.Channel(ctx, id) })
}

func (f *faultStore) RecordInbound(ctx context.Context, rec store.InboundRecord) (store.InboundResult, error) {
	return do(f, "RecordInbound", func() (store.InboundResult, error) { return f.Store.RecordInbound(ctx, rec) })
}

func (f *faultStore) FinishInbound(ctx context.Context, id string, q []store.Message, at time.Time) ([]store.Message, error) {
	return do(f, "FinishInbound", func() ([]store.Message, error) { return f.Store.FinishInbound(ctx, id, q, at) })
}

func (f *faultStore) UnprocessedInbound(ctx context.Context, before time.Time, limit int) ([]store.Message, error) {
	return do(f, "UnprocessedInbound", func() ([]store.Message, error) { return f.Store.UnprocessedInbound(ctx, before, limit) })
}

func (f *faultStore) Conversation(ctx context.Context, id string) (store.Conversation, error) {
	return do(f, "Conversation", func() (store.Conversation, error) { return f.Store.Conversation(ctx, id) })
}

func (f *faultStore) Messages(ctx context.Context, id string) ([]store.Message, error) {
	return do(f, "Messages", func() ([]store.Message, error) { return f.Store.Messages(ctx, id) })
}

func (f *faultStore) Contact(ctx context.Context, id string) (store.Contact, error) {
	return do(f, "Contact", func() (store.Contact, error) { return f.Store.Contact(ctx, id) })
}

func (f *faultStore) Enqueue(ctx context.Context, m store.Message, at time.Time) (store.Message, bool, error) {
	type res struct {
		m       store.Message
		created bool
	}
	r, err := do(f, "Enqueue", func() (res, error) {
		m, created, err := f.Store.Enqueue(ctx, m, at)
		return res{m, created}, err
	})
	return r.m, r.created, err
}

func (f *faultStore) ClaimOutbound(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Claim, error) {
	return do(f, "ClaimOutbound", func() ([]store.Claim, error) { return f.Store.ClaimOutbound(ctx, now, lease, limit) })
}

func (f *faultStore) CompleteOutbound(ctx context.Context, id, lease string, r store.SendResult) (store.Message, error) {
	return do(f, "CompleteOutbound", func() (store.Message, error) { return f.Store.CompleteOutbound(ctx, id, lease, r) })
}

func (f *faultStore) ApplyStatus(ctx context.Context, u store.StatusUpdate) (store.Message, bool, error) {
	type res struct {
		m       store.Message
		changed bool
	}
	r, err := do(f, "ApplyStatus", func() (res, error) {
		m, changed, err := f.Store.ApplyStatus(ctx, u)
		return res{m, changed}, err
	})
	return r.m, r.changed, err
}
