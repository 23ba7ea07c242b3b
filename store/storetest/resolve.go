package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

func mustResolve(t *testing.T, s store.Store, conversationID string, at time.Time) store.Conversation {
	t.Helper()
	c, _, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: conversationID, At: at})
	noErr(t, err, "Resolve")
	return c
}

// surveyRequest resolves a conversation at with a survey open for a day and
// its message keyed csat:<conversation>:<resolution>.
func surveyRequest(conversationID string, resolution int, at time.Time, wantsComment bool) store.ResolveRequest {
	return store.ResolveRequest{
		ConversationID: conversationID,
		At:             at,
		Survey:         &store.Survey{SentAt: at, ExpiresAt: at.Add(24 * time.Hour), WantsComment: wantsComment},
		SurveyMessage: &store.Message{
			Kind: store.KindSurvey, Key: fmt.Sprintf("csat:%s:%d", conversationID, resolution), Text: "How did we do? Reply 1 to 5",
		},
	}
}

func mustResolveWithSurvey(t *testing.T, s store.Store, conversationID string, resolution int, at time.Time, wantsComment bool) store.Survey {
	t.Helper()
	_, sv, err := s.Resolve(ctx(t), surveyRequest(conversationID, resolution, at, wantsComment))
	noErr(t, err, "Resolve with a survey")
	if sv == nil {
		t.Fatal("Resolve with a survey returned no survey")
	}
	return *sv
}

var resolveCases = []testCase{
	{"resolve closes the conversation, frees the agent and keeps the owner for history", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 1)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		at := t0.Add(time.Hour)
		got, sv, err := s.Resolve(ctx(t), store.ResolveRequest{ConversationID: res.Conversation.ID, At: at})
		noErr(t, err, "Resolve")
		if sv != nil {
			t.Fatalf("no survey asked, got %+v", sv)
		}
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.Status, store.StatusResolved, "Status")
			sameTime(t, c.ResolvedAt, at, "ResolvedAt")
			equal(t, c.Resolutions, 1, "Resolutions")
			equal(t, c.AssigneeID, "a1", "AssigneeID kept")
			equal(t, c.QueuedAt.IsZero(), true, "QueuedAt")
		}
		equal(t, mustAgent(t, s, "a1").Open, 0, "Open")
		mustClaim(t, s, newConversation(t, s, 2).Conversation.ID, "a1", at)
		_, _, err = s.Resolve(ctx(t), store.ResolveRequest{ConversationID: res.Conversation.ID, At: at.Add(time.Minute)})
		wantErr(t, err, store.ErrNotOpen, "second Resolve")
		c := mustConversation(t, s, res.Conversation.ID)
		equal(t, c.Resolutions, 1, "Resolutions after the failed Resolve")
		sameTime(t, c.ResolvedAt, at, "ResolvedAt after the failed Resolve")
		equal(t, mustAgent(t, s, "a1").Open, 1, "Open is not decremented twice")
		_, _, err = s.Resolve(ctx(t), store.ResolveRequest{ConversationID: "nope", At: at})
		wantErr(t, err, store.ErrNotFound, "unknown")
		resolved, err := s.ListConversations(ctx(t), store.ConversationFilter{Status: store.StatusResolved, AssigneeID: "a1"})
		noErr(t, err, "ListConversations")
		equal(t, len(resolved), 1, "resolved conversations of a1")
	}},
	{"after resolve the contact's next message opens a new conversation", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		mustResolve(t, s, res.Conversation.ID, t0.Add(time.Minute))
		next := mustRecord(t, s, inbound("ch1", contactPhone(1), 1001, t0.Add(time.Hour)))
		equal(t, next.NewConversation, true, "NewConversation")
		if next.Conversation.ID == res.Conversation.ID {
			t.Fatal("a resolved conversation must not take new messages")
		}
		equal(t, next.SurveyOutcome, store.SurveyNone, "SurveyOutcome")
	}},
	{"resolve with a survey creates it and queues its message in the same step", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		at := t0.Add(time.Hour)
		req := surveyRequest(res.Conversation.ID, 1, at, true)
		conv, sv, err := s.Resolve(ctx(t), req)
		noErr(t, err, "Resolve")
		equal(t, conv.Status, store.StatusResolved, "Status")
		if sv == nil || sv.ID == "" {
			t.Fatalf("the survey needs an ID, got %+v", sv)
		}
		msg, err := outboundByKey(t, s, req.SurveyMessage.Key)
		noErr(t, err, "OutboundByKey")
		equal(t, msg.ConversationID, res.Conversation.ID, "message ConversationID")
		equal(t, msg.ContactID, res.Contact.ID, "message ContactID")
		equal(t, msg.Direction, store.Outbound, "message Direction")
		equal(t, msg.Kind, store.KindSurvey, "message Kind")
		equal(t, msg.Status, store.DeliveryPending, "message Status")
		equal(t, msg.Text, req.SurveyMessage.Text, "message Text")
		sameTime(t, msg.CreatedAt, at, "message CreatedAt")
		stored, err := s.Survey(ctx(t), sv.ID)
		noErr(t, err, "Survey")
		for _, got := range []store.Survey{*sv, stored} {
			equal(t, got.ChannelID, "ch1", "ChannelID")
			equal(t, got.ConversationID, res.Conversation.ID, "ConversationID")
			equal(t, got.ContactID, res.Contact.ID, "ContactID")
			equal(t, got.Resolution, 1, "Resolution")
			equal(t, got.AgentID, "a1", "AgentID")
			equal(t, got.AIAgentID, "", "AIAgentID")
			equal(t, got.MessageID, msg.ID, "MessageID")
			sameTime(t, got.SentAt, at, "SentAt")
			sameTime(t, got.ExpiresAt, at.Add(24*time.Hour), "ExpiresAt")
			equal(t, got.WantsComment, true, "WantsComment")
			equal(t, got.Rating, 0, "Rating")
			equal(t, got.Closed, false, "Closed")
		}
		cs := claim(t, s, at, 10)
		equal(t, len(cs), 1, "the survey message is due")
		equal(t, cs[0].Message.ID, msg.ID, "claimed message")
	}},
	{"a caller's survey ID is kept", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		req := surveyRequest(res.Conversation.ID, 1, t0.Add(time.Hour), false)
		req.Survey.ID = "survey-1"
		_, sv, err := s.Resolve(ctx(t), req)
		noErr(t, err, "Resolve")
		equal(t, sv.ID, "survey-1", "ID")
		_, err = s.Survey(ctx(t), "survey-1")
		noErr(t, err, "Survey")
		_, err = s.Survey(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "unknown survey")
	}},
	{"a taken survey message key is ErrExists and changes nothing", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		req := surveyRequest(res.Conversation.ID, 1, t0.Add(time.Hour), false)
		_, _, err := s.Enqueue(ctx(t), store.Message{ConversationID: res.Conversation.ID, Kind: store.KindReply, Key: req.SurveyMessage.Key}, t0)
		noErr(t, err, "Enqueue")
		_, _, err = s.Resolve(ctx(t), req)
		wantErr(t, err, store.ErrExists, "Resolve")
		c := mustConversation(t, s, res.Conversation.ID)
		equal(t, c.Status, store.StatusOpen, "Status")
		equal(t, c.Resolutions, 0, "Resolutions")
		equal(t, mustAgent(t, s, "a1").Open, 1, "Open")
		list, err := s.ListSurveys(ctx(t), store.SurveyFilter{})
		noErr(t, err, "ListSurveys")
		equal(t, len(list), 0, "surveys")
	}},
	{"a survey keeps its attribution when the conversation is reopened and reassigned", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 3)
		mustCreateAgent(t, s, "a2", 3)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		first := mustResolveWithSurvey(t, s, res.Conversation.ID, 1, t0.Add(time.Hour), false)
		_, err := s.Reopen(ctx(t), res.Conversation.ID, t0.Add(2*time.Hour))
		noErr(t, err, "Reopen")
		mustClaim(t, s, res.Conversation.ID, "a2", t0.Add(3*time.Hour))
		second := mustResolveWithSurvey(t, s, res.Conversation.ID, 2, t0.Add(4*time.Hour), false)
		equal(t, second.Resolution, 2, "second Resolution")
		equal(t, second.AgentID, "a2", "second AgentID")
		got, err := s.Survey(ctx(t), first.ID)
		noErr(t, err, "Survey")
		equal(t, got.Resolution, 1, "first Resolution")
		equal(t, got.AgentID, "a1", "first AgentID")
		equal(t, mustConversation(t, s, res.Conversation.ID).Resolutions, 2, "Resolutions")
		equal(t, mustAgent(t, s, "a1").Open, 0, "a1 Open")
		equal(t, mustAgent(t, s, "a2").Open, 0, "a2 Open")
	}},
	{"a survey of an AI-owned conversation is attributed to the AI agent", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		mustAssignAI(t, s, res.Conversation.ID, "bot", t0)
		sv := mustResolveWithSurvey(t, s, res.Conversation.ID, 1, t0.Add(time.Hour), false)
		equal(t, sv.AIAgentID, "bot", "AIAgentID")
		equal(t, sv.AgentID, "", "AgentID")
		equal(t, mustConversation(t, s, res.Conversation.ID).AIAgentID, "bot", "AIAgentID kept for history")
	}},
	{"reopen makes the conversation open, unowned and queued", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 0)
		res := newConversation(t, s, 1)
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		mustClaim(t, s, newConversation(t, s, 2).Conversation.ID, "a1", t0)
		mustResolve(t, s, res.Conversation.ID, t0.Add(time.Hour))
		at := t0.Add(2 * time.Hour)
		got, err := s.Reopen(ctx(t), res.Conversation.ID, at)
		noErr(t, err, "Reopen")
		for _, c := range []store.Conversation{got, mustConversation(t, s, res.Conversation.ID)} {
			equal(t, c.Status, store.StatusOpen, "Status")
			equal(t, c.AssigneeID, "", "AssigneeID")
			equal(t, c.AIAgentID, "", "AIAgentID")
			sameTime(t, c.QueuedAt, at, "QueuedAt")
			equal(t, c.Resolutions, 1, "Resolutions kept")
		}
		equal(t, mustAgent(t, s, "a1").Open, 1, "Open untouched: Resolve gave it back")
		sameIDs(t, queuedIDs(t, s, 100), []string{res.Conversation.ID}, "queue")
		next := mustRecord(t, s, inbound("ch1", contactPhone(1), 1001, at.Add(time.Minute)))
		equal(t, next.Conversation.ID, res.Conversation.ID, "the next message joins the reopened conversation")
		equal(t, next.NewConversation, false, "NewConversation")
	}},
	{"reopen of an AI conversation leaves it unowned", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		mustAssignAI(t, s, res.Conversation.ID, "bot", t0)
		mustResolve(t, s, res.Conversation.ID, t0.Add(time.Hour))
		got, err := s.Reopen(ctx(t), res.Conversation.ID, t0.Add(2*time.Hour))
		noErr(t, err, "Reopen")
		equal(t, got.AIAgentID, "", "AIAgentID")
		mustAssignAI(t, s, res.Conversation.ID, "bot", t0.Add(3*time.Hour))
	}},
	{"reopen of an open conversation is ErrNotOpen; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		_, err := s.Reopen(ctx(t), res.Conversation.ID, t0)
		wantErr(t, err, store.ErrNotOpen, "open")
		equal(t, mustConversation(t, s, res.Conversation.ID).QueuedAt.IsZero(), true, "not queued")
		_, err = s.Reopen(ctx(t), "nope", t0)
		wantErr(t, err, store.ErrNotFound, "unknown")
	}},
	{"reopen while the contact has another open conversation is ErrOtherOpen", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		mustResolve(t, s, res.Conversation.ID, t0.Add(time.Minute))
		next := mustRecord(t, s, inbound("ch1", contactPhone(1), 1001, t0.Add(time.Hour)))
		_, err := s.Reopen(ctx(t), res.Conversation.ID, t0.Add(2*time.Hour))
		wantErr(t, err, store.ErrOtherOpen, "Reopen")
		equal(t, mustConversation(t, s, res.Conversation.ID).Status, store.StatusResolved, "still resolved")
		later := mustRecord(t, s, inbound("ch1", contactPhone(1), 1002, t0.Add(3*time.Hour)))
		equal(t, later.Conversation.ID, next.Conversation.ID, "messages still go to the open one")
	}},
}
