package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// aiConversation opens the n-th test contact's conversation on ch1 (which
// must exist) and gives it to AI agent "bot".
func aiConversation(t *testing.T, s store.Store, n int) store.InboundResult {
	t.Helper()
	res := newConversation(t, s, n)
	mustAssignAI(t, s, res.Conversation.ID, "bot", t0)
	return res
}

// mustRequestAITurn requests a turn and then marks the message processed,
// as the desk does (the turn is due only then).
func mustRequestAITurn(t *testing.T, s store.Store, conversationID, messageID string, at time.Time) {
	t.Helper()
	noErr(t, s.RequestAITurn(ctx(t), conversationID, messageID, at), "RequestAITurn")
	_, err := s.FinishInbound(ctx(t), messageID, nil, at)
	noErr(t, err, "FinishInbound")
}

func claimAI(t *testing.T, s store.Store, now time.Time, limit int) []store.AITurnClaim {
	t.Helper()
	cs, err := s.ClaimAITurns(ctx(t), now, time.Minute, limit)
	noErr(t, err, "ClaimAITurns")
	return cs
}

// aiReply is the AI agent's reply to message messageID.
func aiReply(messageID, text string) *store.Message {
	return &store.Message{Kind: store.KindAI, Key: "ai:" + messageID, Text: text, AuthorID: "bot"}
}

var aiTurnCases = []testCase{
	{"a turn is not claimed before its message is processed", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := aiConversation(t, s, 1)
		noErr(t, s.RequestAITurn(ctx(t), res.Conversation.ID, res.Message.ID, t0), "RequestAITurn")
		equal(t, len(claimAI(t, s, t0, 10)), 0, "claims before FinishInbound")
		_, err := s.FinishInbound(ctx(t), res.Message.ID, nil, t0)
		noErr(t, err, "FinishInbound")
		equal(t, len(claimAI(t, s, t0, 10)), 1, "claims after FinishInbound")
	}},
	{"request, claim and complete with a reply", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := aiConversation(t, s, 1)
		mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0.Add(time.Second))
		equal(t, mustConversation(t, s, res.Conversation.ID).AITurnMessageID, res.Message.ID, "AITurnMessageID")
		cs := claimAI(t, s, t0.Add(2*time.Second), 10)
		equal(t, len(cs), 1, "claims")
		equal(t, cs[0].Conversation.ID, res.Conversation.ID, "Conversation")
		equal(t, cs[0].Conversation.AIAgentID, "bot", "Conversation.AIAgentID")
		equal(t, cs[0].MessageID, res.Message.ID, "MessageID")
		if cs[0].Lease == "" {
			t.Fatal("a claim needs a lease token")
		}
		equal(t, len(claimAI(t, s, t0.Add(3*time.Second), 10)), 0, "claimed again while leased")
		at := t0.Add(4 * time.Second)
		got, err := s.CompleteAITurn(ctx(t), res.Conversation.ID, cs[0].Lease, res.Message.ID, store.AITurnResult{Reply: aiReply(res.Message.ID, "Hello, how can I help?"), At: at})
		noErr(t, err, "CompleteAITurn")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AITurnMessageID, "", "AITurnMessageID cleared")
			equal(t, c.AIAgentID, "bot", "AIAgentID")
			sameTime(t, c.LastAgentReplyAt, at, "LastAgentReplyAt")
		}
		m, err := outboundByKey(t, s, "ai:"+res.Message.ID)
		noErr(t, err, "OutboundByKey")
		equal(t, m.ConversationID, res.Conversation.ID, "reply ConversationID")
		equal(t, m.Kind, store.KindAI, "reply Kind")
		equal(t, m.Status, store.DeliveryPending, "reply Status")
		equal(t, m.AuthorID, "bot", "reply AuthorID")
		sameTime(t, m.CreatedAt, at, "reply CreatedAt")
		equal(t, len(claimAI(t, s, t0.Add(time.Hour), 10)), 0, "nothing pending")
		_, err = s.CompleteAITurn(ctx(t), res.Conversation.ID, cs[0].Lease, res.Message.ID, store.AITurnResult{At: at})
		wantErr(t, err, store.ErrLeaseLost, "completing twice")
		_, err = s.CompleteAITurn(ctx(t), "nope", cs[0].Lease, res.Message.ID, store.AITurnResult{At: at})
		wantErr(t, err, store.ErrNotFound, "unknown conversation")
	}},
	{"a request without an AI owner is a no-op; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		free := newConversation(t, s, 1)
		owned := newConversation(t, s, 2)
		mustClaim(t, s, owned.Conversation.ID, "a1", t0)
		for _, res := range []store.InboundResult{free, owned} {
			mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0)
			equal(t, mustConversation(t, s, res.Conversation.ID).AITurnMessageID, "", "AITurnMessageID")
		}
		equal(t, len(claimAI(t, s, t0.Add(time.Hour), 10)), 0, "claims")
		wantErr(t, s.RequestAITurn(ctx(t), "nope", "m", t0), store.ErrNotFound, "unknown conversation")
	}},
	{"claims come oldest request first, up to the limit", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		var rs []store.InboundResult
		for i := range 3 {
			rs = append(rs, aiConversation(t, s, i+1))
		}
		mustRequestAITurn(t, s, rs[0].Conversation.ID, rs[0].Message.ID, t0.Add(3*time.Second))
		mustRequestAITurn(t, s, rs[1].Conversation.ID, rs[1].Message.ID, t0.Add(1*time.Second))
		mustRequestAITurn(t, s, rs[2].Conversation.ID, rs[2].Message.ID, t0.Add(2*time.Second))
		cs := claimAI(t, s, t0.Add(time.Minute), 2)
		equal(t, len(cs), 2, "limit")
		equal(t, cs[0].Conversation.ID, rs[1].Conversation.ID, "oldest request first")
		equal(t, cs[1].Conversation.ID, rs[2].Conversation.ID, "then")
		if cs[0].Lease == cs[1].Lease {
			t.Fatal("each claim needs its own lease token")
		}
		rest := claimAI(t, s, t0.Add(time.Minute), 10)
		equal(t, len(rest), 1, "the rest")
		equal(t, rest[0].Conversation.ID, rs[0].Conversation.ID, "last")
	}},
	{"an expired lease is claimed again and the old lease is lost", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := aiConversation(t, s, 1)
		mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0)
		first := claimAI(t, s, t0, 10)
		equal(t, len(first), 1, "first claim")
		equal(t, len(claimAI(t, s, t0.Add(59*time.Second), 10)), 0, "while leased")
		again := claimAI(t, s, t0.Add(time.Minute), 10)
		equal(t, len(again), 1, "after expiry")
		equal(t, again[0].MessageID, res.Message.ID, "same turn")
		_, err := s.CompleteAITurn(ctx(t), res.Conversation.ID, first[0].Lease, res.Message.ID, store.AITurnResult{Reply: aiReply(res.Message.ID, "late"), At: t0.Add(time.Minute)})
		wantErr(t, err, store.ErrLeaseLost, "completing with the expired lease")
		_, err = outboundByKey(t, s, "ai:"+res.Message.ID)
		wantErr(t, err, store.ErrNotFound, "a lost turn queues nothing")
		_, err = s.CompleteAITurn(ctx(t), res.Conversation.ID, again[0].Lease, res.Message.ID, store.AITurnResult{Reply: aiReply(res.Message.ID, "on time"), At: t0.Add(time.Minute)})
		noErr(t, err, "completing with the live lease")
		m, err := outboundByKey(t, s, "ai:"+res.Message.ID)
		noErr(t, err, "OutboundByKey")
		equal(t, m.Text, "on time", "Text")
	}},
	{"a reply is queued once even when the turn runs again", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := aiConversation(t, s, 1)
		for i, text := range []string{"first answer", "second answer"} {
			// The same message is processed twice (a sweep redoing it).
			at := t0.Add(time.Duration(i+1) * time.Minute)
			mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, at)
			cs := claimAI(t, s, at, 10)
			equal(t, len(cs), 1, "claims")
			_, err := s.CompleteAITurn(ctx(t), res.Conversation.ID, cs[0].Lease, res.Message.ID, store.AITurnResult{Reply: aiReply(res.Message.ID, text), At: at})
			noErr(t, err, "CompleteAITurn")
		}
		msgs, err := s.Messages(ctx(t), res.Conversation.ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 2, "the inbound message and one reply")
		equal(t, msgs[1].Text, "first answer", "the first reply stands")
	}},
	{"a newer message during a turn keeps the turn pending", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := aiConversation(t, s, 1)
		mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0.Add(time.Second))
		cs := claimAI(t, s, t0.Add(2*time.Second), 10)
		newer := mustRecord(t, s, reply(1, 1001, t0.Add(3*time.Second), 0))
		mustRequestAITurn(t, s, res.Conversation.ID, newer.Message.ID, t0.Add(3*time.Second))
		equal(t, mustConversation(t, s, res.Conversation.ID).AITurnMessageID, newer.Message.ID, "the newer message replaces the pending one")
		equal(t, len(claimAI(t, s, t0.Add(4*time.Second), 10)), 0, "one turn at a time per conversation")
		got, err := s.CompleteAITurn(ctx(t), res.Conversation.ID, cs[0].Lease, res.Message.ID, store.AITurnResult{Reply: aiReply(res.Message.ID, "answer 1"), At: t0.Add(5 * time.Second)})
		noErr(t, err, "CompleteAITurn")
		equal(t, got.AITurnMessageID, newer.Message.ID, "still pending")
		next := claimAI(t, s, t0.Add(6*time.Second), 10)
		equal(t, len(next), 1, "due again once the turn completed")
		equal(t, next[0].MessageID, newer.Message.ID, "MessageID")
		_, err = s.CompleteAITurn(ctx(t), res.Conversation.ID, next[0].Lease, newer.Message.ID, store.AITurnResult{Reply: aiReply(newer.Message.ID, "answer 2"), At: t0.Add(7 * time.Second)})
		noErr(t, err, "second CompleteAITurn")
		equal(t, mustConversation(t, s, res.Conversation.ID).AITurnMessageID, "", "done")
	}},
	{"an older message does not replace a newer pending one", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := aiConversation(t, s, 1)
		newer := mustRecord(t, s, reply(1, 1001, t0.Add(time.Minute), 0))
		mustRequestAITurn(t, s, res.Conversation.ID, newer.Message.ID, t0.Add(2*time.Minute))
		mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0.Add(3*time.Minute))
		equal(t, mustConversation(t, s, res.Conversation.ID).AITurnMessageID, newer.Message.ID, "AITurnMessageID")
	}},
	{"complete with a handoff gives the conversation to humans", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := aiConversation(t, s, 1)
		mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0)
		cs := claimAI(t, s, t0, 10)
		at := t0.Add(time.Minute)
		got, err := s.CompleteAITurn(ctx(t), res.Conversation.ID, cs[0].Lease, res.Message.ID, store.AITurnResult{
			Reply: aiReply(res.Message.ID, "Let me get a colleague"), HandOff: true, QueueTarget: routing.Target{Team: "support"}, At: at,
		})
		noErr(t, err, "CompleteAITurn")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.AIAgentID, "", "AIAgentID")
			equal(t, c.AIHandedOff, true, "AIHandedOff")
			sameTime(t, c.QueuedAt, at, "QueuedAt")
			equal(t, c.QueueTarget, routing.Target{Team: "support"}, "QueueTarget")
			equal(t, c.AITurnMessageID, "", "AITurnMessageID")
		}
		_, err = outboundByKey(t, s, "ai:"+res.Message.ID)
		noErr(t, err, "the parting reply is queued")
		sameIDs(t, queuedIDs(t, s, 100), []string{res.Conversation.ID}, "queue")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: res.Conversation.ID, To: store.Owner{AIAgentID: "bot"}, At: at})
		wantErr(t, err, store.ErrAssigned, "AssignAI after a handoff")
		later := mustRecord(t, s, reply(1, 1001, at.Add(time.Minute), 0))
		mustRequestAITurn(t, s, res.Conversation.ID, later.Message.ID, at.Add(time.Minute))
		equal(t, len(claimAI(t, s, at.Add(time.Hour), 10)), 0, "no AI turn after a handoff")
		mustClaim(t, s, res.Conversation.ID, "a1", at.Add(time.Hour))
	}},
	{"a handoff or a resolve during a turn takes the turn away", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		handed, resolved := aiConversation(t, s, 1), aiConversation(t, s, 2)
		for _, res := range []store.InboundResult{handed, resolved} {
			mustRequestAITurn(t, s, res.Conversation.ID, res.Message.ID, t0)
		}
		cs := claimAI(t, s, t0, 10)
		equal(t, len(cs), 2, "claims")
		_, err := handOff(t, s, handed.Conversation.ID, routing.Target{}, t0.Add(time.Second))
		noErr(t, err, "HandOff")
		mustResolve(t, s, resolved.Conversation.ID, t0.Add(time.Second))
		for _, c := range cs {
			_, err := s.CompleteAITurn(ctx(t), c.Conversation.ID, c.Lease, c.MessageID, store.AITurnResult{Reply: aiReply(c.MessageID, "too late"), At: t0.Add(2 * time.Second)})
			wantErr(t, err, store.ErrLeaseLost, "CompleteAITurn")
			_, err = outboundByKey(t, s, "ai:"+c.MessageID)
			wantErr(t, err, store.ErrNotFound, "no AI reply after the AI lost the conversation")
			equal(t, mustConversation(t, s, c.Conversation.ID).AITurnMessageID, "", "AITurnMessageID")
		}
		equal(t, len(claimAI(t, s, t0.Add(time.Hour), 10)), 0, "no turn left")
	}},
}
