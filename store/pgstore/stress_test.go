package pgstore_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// expected are the errors the contract allows when operations race: a
// conversation taken, resolved or reopened by someone else, a lost lease.
var expected = []error{store.ErrAssigned, store.ErrNotOpen, store.ErrOtherOpen, store.ErrAgentFull,
	store.ErrLeaseLost, store.ErrExists}

// TestMixedOperationsDoNotDeadlock races every kind of write on the same
// few customers. The operations lock rows in one order (contact,
// conversation, agent, the rest); a mistake there shows up as PostgreSQL
// aborting a transaction with deadlock_detected, which is not an expected
// error. Afterwards the agents' Open counts must match their conversations.
func TestMixedOperationsDoNotDeadlock(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, _ := newStore(t, pool, nil)
	ctx := t.Context()
	require.NoError(t, s.CreateChannel(ctx, testChannel("ch1")))
	for _, id := range []string{"a1", "a2"} {
		require.NoError(t, s.CreateAgent(ctx, store.Agent{ID: id, Name: id, Status: store.AgentOnline, CreatedAt: t0, UpdatedAt: t0}))
	}
	phones := []string{"+14155550100", "+14155550101", "+14155550102"}
	var sid atomic.Int64
	record := func(phone string) (store.InboundResult, error) {
		n := int(sid.Add(1))
		return s.RecordInbound(ctx, inboundAt("ch1", phone, n, t0.Add(time.Duration(n)*time.Second)))
	}
	for _, p := range phones {
		_, err := record(p)
		require.NoError(t, err)
	}
	openConv := func(phone string) (string, error) {
		res, err := record(phone) // also races with everything else
		return res.Conversation.ID, err
	}
	ops := []func(r *rand.Rand) error{
		func(r *rand.Rand) error { // an inbound message and its processing
			res, err := record(phones[r.IntN(len(phones))])
			if err != nil {
				return err
			}
			_, err = s.FinishInbound(ctx, res.Message.ID, []store.Message{{ConversationID: res.Conversation.ID,
				Kind: store.KindReply, Key: fmt.Sprint("r", res.Message.ID), Text: "ok"}}, t0)
			return err
		},
		func(r *rand.Rand) error { // assignment
			id, err := openConv(phones[r.IntN(len(phones))])
			if err != nil {
				return err
			}
			_, err = s.ChangeOwner(ctx, store.OwnerChange{ConversationID: id, To: store.Owner{AgentID: fmt.Sprint("a", 1+r.IntN(2))}, At: t0, CursorKey: "rr"})
			return err
		},
		func(r *rand.Rand) error { // a forced move from one agent to the other
			id, err := openConv(phones[r.IntN(len(phones))])
			if err != nil {
				return err
			}
			from := fmt.Sprint("a", 1+r.IntN(2))
			to := map[string]string{"a1": "a2", "a2": "a1"}[from]
			_, err = s.ChangeOwner(ctx, store.OwnerChange{ConversationID: id, From: store.Owner{AgentID: from}, To: store.Owner{AgentID: to}, At: t0, Force: true})
			return err
		},
		func(r *rand.Rand) error { // unassignment
			id, err := openConv(phones[r.IntN(len(phones))])
			if err != nil {
				return err
			}
			_, err = s.ChangeOwner(ctx, store.OwnerChange{ConversationID: id, From: store.Owner{AgentID: fmt.Sprint("a", 1+r.IntN(2))}, At: t0})
			return err
		},
		func(r *rand.Rand) error { // resolution with a survey, then a reopen
			id, err := openConv(phones[r.IntN(len(phones))])
			if err != nil {
				return err
			}
			n := sid.Add(1)
			_, _, err = s.Resolve(ctx, store.ResolveRequest{ConversationID: id, At: t0,
				Survey:        &store.Survey{SentAt: t0, ExpiresAt: t0.Add(time.Hour)},
				SurveyMessage: &store.Message{Kind: store.KindSurvey, Key: fmt.Sprint("csat", n), Text: "1-5?"}})
			if err != nil {
				return err
			}
			_, err = s.Reopen(ctx, id, t0)
			return err
		},
		func(r *rand.Rand) error { // the outbox and status callbacks
			cs, err := s.ClaimOutbound(ctx, t0.Add(time.Hour), time.Minute, 2)
			for _, c := range cs {
				sid := "SM" + strings.ReplaceAll(c.Message.ID, "-", "") // a SID is letters and digits (store.StatusUpdate.Check)
				if _, err := s.CompleteOutbound(ctx, c.Message.ID, c.Lease, store.SendResult{Outcome: store.OutcomeSent, SID: sid, Status: store.DeliveryQueued, At: t0}); err != nil {
					return err
				}
				if _, _, err := s.ApplyStatus(ctx, store.StatusUpdate{ChannelID: "ch1", SID: sid, Status: store.DeliveryFailed, ErrorCode: 63016, CloseWindow: true, At: t0}); err != nil {
					return err
				}
			}
			return err
		},
		func(r *rand.Rand) error { // AI ownership and handoff
			id, err := openConv(phones[r.IntN(len(phones))])
			if err != nil {
				return err
			}
			if _, err = s.ChangeOwner(ctx, store.OwnerChange{ConversationID: id, To: store.Owner{AIAgentID: "bot"}, At: t0}); err != nil {
				return err
			}
			_, err = s.ChangeOwner(ctx, store.OwnerChange{ConversationID: id, From: store.Owner{AIAgentID: "bot"}, Queue: routing.Target{Team: "t"}, At: t0})
			return err
		},
		func(r *rand.Rand) error { // membership and agents come and go
			id := fmt.Sprint("a", 1+r.IntN(2))
			if _, err := s.ChangeMember(ctx, store.MemberChange{ChannelID: "ch1", AgentID: id, Op: store.MemberAdd}, t0); err != nil {
				return err
			}
			_, err := s.ChangeMember(ctx, store.MemberChange{ChannelID: "ch1", AgentID: id, Op: store.MemberRemove}, t0)
			return err
		},
	}

	const workers, rounds = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 42))
			for range rounds {
				if err := ops[r.IntN(len(ops))](r); err != nil && !isExpected(err) {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	// Grouped record calls lock their contacts in one order, and nothing
	// else locks two contacts: no batch may have failed on a deadlock.
	sent, rerun := s.GroupBatches()
	t.Logf("grouped batches: %d sent, %d rerun call by call", sent, rerun)
	require.Zero(t, rerun, "grouped batches rerun")

	for _, id := range []string{"a1", "a2"} {
		a, err := s.Agent(ctx, id)
		require.NoError(t, err)
		mine, err := s.ListConversations(ctx, store.ConversationFilter{AssigneeID: id, Status: store.StatusOpen})
		require.NoError(t, err)
		require.Equal(t, len(mine), a.Open, "agent %s: Open counts its open conversations", id)
	}
}

func isExpected(err error) bool {
	for _, e := range expected {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
