package storetest

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

// reply returns the n-th test contact's message with MessageSid sid on
// ch1, read by the desk as a rating (0: not a rating).
func reply(n, sid int, at time.Time, rating int) store.InboundRecord {
	rec := inbound("ch1", contactPhone(n), sid, at)
	if rating != 0 {
		rec.Answer = store.SurveyAnswer{Rating: rating, Method: "digits"}
	}
	return rec
}

func mustSurvey(t *testing.T, s store.Store, id string) store.Survey {
	t.Helper()
	sv, err := s.Survey(ctx(t), id)
	noErr(t, err, "Survey")
	return sv
}

// answered checks an inbound result's survey outcome and returns its survey.
func answered(t *testing.T, res store.InboundResult, want store.SurveyOutcome, surveyID string) store.Survey {
	t.Helper()
	equal(t, res.SurveyOutcome, want, "SurveyOutcome")
	equal(t, res.Message.SurveyOutcome, want, "Message.SurveyOutcome (recorded with the message)")
	if res.Survey == nil {
		t.Fatalf("outcome %q needs the survey", want)
	}
	equal(t, res.Survey.ID, surveyID, "Survey.ID")
	return *res.Survey
}

func noSurvey(t *testing.T, res store.InboundResult) {
	t.Helper()
	equal(t, res.SurveyOutcome, store.SurveyNone, "SurveyOutcome")
	equal(t, res.Message.SurveyOutcome, store.SurveyNone, "Message.SurveyOutcome")
	if res.Survey != nil {
		t.Fatalf("no survey should be involved, got %+v", *res.Survey)
	}
}

// surveyed opens the first test contact's conversation on ch1, assigns it
// to a1 and resolves it at t0+1h with a survey.
func surveyed(t *testing.T, s store.Store, wantsComment bool) (store.InboundResult, store.Survey) {
	t.Helper()
	mustCreateChannel(t, s, "ch1")
	mustCreateAgent(t, s, "a1", 3)
	res := newConversation(t, s, 1)
	mustClaim(t, s, res.Conversation.ID, "a1", t0)
	return res, mustResolveWithSurvey(t, s, res.Conversation.ID, 1, t0.Add(time.Hour), wantsComment)
}

var surveyCases = []testCase{
	{"a rating answers the survey and joins its conversation", func(t *testing.T, s store.Store) {
		first, sv := surveyed(t, s, false)
		at := t0.Add(2 * time.Hour)
		res := mustRecord(t, s, reply(1, 1001, at, 5))
		got := answered(t, res, store.SurveyRated, sv.ID)
		for _, g := range []store.Survey{got, mustSurvey(t, s, sv.ID)} {
			equal(t, g.Rating, 5, "Rating")
			equal(t, g.RatingMethod, "digits", "RatingMethod")
			sameTime(t, g.RatedAt, at, "RatedAt")
			equal(t, g.Closed, true, "Closed: no comment asked")
			equal(t, g.AgentID, "a1", "AgentID")
		}
		equal(t, res.NewConversation, false, "NewConversation")
		equal(t, res.Conversation.ID, first.Conversation.ID, "the survey's conversation")
		equal(t, res.Conversation.Status, store.StatusResolved, "it stays resolved")
		sameTime(t, res.Conversation.LastInboundAt, at, "Conversation.LastInboundAt")
		equal(t, res.Message.ConversationID, first.Conversation.ID, "Message.ConversationID")
		sameTime(t, res.Contact.LastInboundAt, at, "Contact.LastInboundAt")
		c := mustConversation(t, s, first.Conversation.ID)
		equal(t, c.Status, store.StatusResolved, "stored Status")
		sameTime(t, c.LastInboundAt, at, "stored LastInboundAt")
		convs, err := s.ListConversations(ctx(t), store.ConversationFilter{ContactID: first.Contact.ID})
		noErr(t, err, "ListConversations")
		equal(t, len(convs), 1, "no conversation opened")
		msgs, err := s.Messages(ctx(t), first.Conversation.ID)
		noErr(t, err, "Messages")
		equal(t, msgs[len(msgs)-1].ID, res.Message.ID, "the rating is the conversation's last message")
		equal(t, res.Message.SurveyID, sv.ID, "Message.SurveyID")
		equal(t, msgs[len(msgs)-1].SurveyID, sv.ID, "stored Message.SurveyID")
	}},
	{"with WantsComment the message after the rating is the comment", func(t *testing.T, s store.Store) {
		first, sv := surveyed(t, s, true)
		rated := mustRecord(t, s, reply(1, 1001, t0.Add(2*time.Hour), 4))
		got := answered(t, rated, store.SurveyRated, sv.ID)
		equal(t, got.Closed, false, "open for the comment")
		rec := reply(1, 1002, t0.Add(3*time.Hour), 0)
		rec.Message.Body = "Quick and friendly"
		commented := mustRecord(t, s, rec)
		got = answered(t, commented, store.SurveyCommented, sv.ID)
		for _, g := range []store.Survey{got, mustSurvey(t, s, sv.ID)} {
			equal(t, g.Rating, 4, "Rating kept")
			equal(t, g.Comment, "Quick and friendly", "Comment")
			sameTime(t, g.CommentAt, t0.Add(3*time.Hour), "CommentAt")
			equal(t, g.Closed, true, "Closed")
		}
		equal(t, commented.Conversation.ID, first.Conversation.ID, "the comment joins the survey's conversation")
		equal(t, commented.Message.SurveyID, sv.ID, "the comment's SurveyID")
		equal(t, commented.NewConversation, false, "NewConversation")
		after := mustRecord(t, s, reply(1, 1003, t0.Add(4*time.Hour), 0))
		noSurvey(t, after)
		equal(t, after.NewConversation, true, "the next message opens a conversation")
	}},
	{"a message that is not a rating closes the survey and goes on as usual", func(t *testing.T, s store.Store) {
		first, sv := surveyed(t, s, true)
		res := mustRecord(t, s, reply(1, 1001, t0.Add(2*time.Hour), 0))
		got := answered(t, res, store.SurveyIgnored, sv.ID)
		equal(t, got.Closed, true, "Closed")
		equal(t, got.Rating, 0, "Rating")
		equal(t, res.NewConversation, true, "NewConversation")
		if res.Conversation.ID == first.Conversation.ID {
			t.Fatal("an ignored survey must not take the message")
		}
		equal(t, res.Conversation.Status, store.StatusOpen, "Status")
		equal(t, res.Message.SurveyID, "", "an ignored survey is not the message's")
		late := mustRecord(t, s, reply(1, 1002, t0.Add(3*time.Hour), 5))
		noSurvey(t, late)
		equal(t, late.Conversation.ID, res.Conversation.ID, "a late rating is an ordinary message")
		equal(t, mustSurvey(t, s, sv.ID).Rating, 0, "stored Rating")
	}},
	{"an expired survey is not answered", func(t *testing.T, s store.Store) {
		first, sv := surveyed(t, s, false)
		res := mustRecord(t, s, reply(1, 1001, sv.ExpiresAt, 5))
		noSurvey(t, res)
		equal(t, res.NewConversation, true, "NewConversation")
		if res.Conversation.ID == first.Conversation.ID {
			t.Fatal("an expired survey must not take the message")
		}
		equal(t, mustSurvey(t, s, sv.ID).Rating, 0, "Rating")
	}},
	{"another contact's message never answers a survey", func(t *testing.T, s store.Store) {
		_, sv := surveyed(t, s, false)
		other := reply(2, 1001, t0.Add(2*time.Hour), 5)
		other.Answer.SurveyID = sv.ID
		res := mustRecord(t, s, other)
		noSurvey(t, res)
		equal(t, res.NewConversation, true, "the other contact's own conversation")
		mustCreateChannel(t, s, "ch2")
		sameNumber := inbound("ch2", contactPhone(1), 1002, t0.Add(2*time.Hour))
		sameNumber.Answer = store.SurveyAnswer{Rating: 5, Method: "digits"}
		noSurvey(t, mustRecord(t, s, sameNumber))
		got := mustSurvey(t, s, sv.ID)
		equal(t, got.Rating, 0, "Rating")
		equal(t, got.Closed, false, "Closed")
	}},
	{"a payload names which open survey is answered, else the latest", func(t *testing.T, s store.Store) {
		first, older := surveyed(t, s, false)
		_, err := s.Reopen(ctx(t), first.Conversation.ID, t0.Add(2*time.Hour))
		noErr(t, err, "Reopen")
		newer := mustResolveWithSurvey(t, s, first.Conversation.ID, 2, t0.Add(3*time.Hour), false)
		answered(t, mustRecord(t, s, reply(1, 1001, t0.Add(4*time.Hour), 4)), store.SurveyRated, newer.ID)
		equal(t, mustSurvey(t, s, older.ID).Rating, 0, "without a payload the latest survey is answered")
		rec := reply(1, 1002, t0.Add(5*time.Hour), 3)
		rec.Answer.SurveyID = older.ID
		answered(t, mustRecord(t, s, rec), store.SurveyRated, older.ID)
		equal(t, mustSurvey(t, s, older.ID).Rating, 3, "older Rating")
		equal(t, mustSurvey(t, s, newer.ID).Rating, 4, "newer Rating")
	}},
	{"a second rating after the survey closed goes to a normal conversation", func(t *testing.T, s store.Store) {
		first, sv := surveyed(t, s, false)
		answered(t, mustRecord(t, s, reply(1, 1001, t0.Add(2*time.Hour), 5)), store.SurveyRated, sv.ID)
		res := mustRecord(t, s, reply(1, 1002, t0.Add(3*time.Hour), 1))
		noSurvey(t, res)
		equal(t, res.NewConversation, true, "NewConversation")
		if res.Conversation.ID == first.Conversation.ID {
			t.Fatal("a closed survey must not take the message")
		}
		got := mustSurvey(t, s, sv.ID)
		equal(t, got.Rating, 5, "the first rating stands")
		sameTime(t, got.RatedAt, t0.Add(2*time.Hour), "RatedAt")
	}},
	{"a duplicate rating changes nothing", func(t *testing.T, s store.Store) {
		_, sv := surveyed(t, s, true)
		mustRecord(t, s, reply(1, 1001, t0.Add(2*time.Hour), 5))
		dup := mustRecord(t, s, reply(1, 1001, t0.Add(3*time.Hour), 5))
		equal(t, dup.Duplicate, true, "Duplicate")
		got := mustSurvey(t, s, sv.ID)
		equal(t, got.Comment, "", "the duplicate is not the comment")
		equal(t, got.CommentAt.IsZero(), true, "CommentAt")
		equal(t, got.Closed, false, "still waiting for the comment")
	}},
	{"expire closes open surveys whose time has come and counts them", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		var ids []string
		for i := range 3 {
			res := newConversation(t, s, i+1)
			ids = append(ids, mustResolveWithSurvey(t, s, res.Conversation.ID, 1, t0.Add(time.Duration(i)*time.Hour), false).ID)
		}
		// ids[0] expires at t0+24h, ids[1] at t0+25h, ids[2] at t0+26h but is answered.
		answered(t, mustRecord(t, s, reply(3, 1001, t0.Add(3*time.Hour), 5)), store.SurveyRated, ids[2])
		n, err := s.ExpireSurveys(ctx(t), t0.Add(24*time.Hour-time.Second))
		noErr(t, err, "ExpireSurveys")
		equal(t, n, 0, "before expiry")
		n, err = s.ExpireSurveys(ctx(t), t0.Add(24*time.Hour))
		noErr(t, err, "ExpireSurveys")
		equal(t, n, 1, "at ExpiresAt")
		equal(t, mustSurvey(t, s, ids[0]).Closed, true, "closed")
		equal(t, mustSurvey(t, s, ids[1]).Closed, false, "not yet")
		n, err = s.ExpireSurveys(ctx(t), t0.Add(24*time.Hour))
		noErr(t, err, "ExpireSurveys again")
		equal(t, n, 0, "closed surveys are not counted again")
		n, err = s.ExpireSurveys(ctx(t), t0.Add(48*time.Hour))
		noErr(t, err, "ExpireSurveys later")
		equal(t, n, 1, "only ids[1]: the answered survey was already closed")
		noSurvey(t, mustRecord(t, s, reply(2, 1002, t0.Add(time.Hour), 5)))
	}},
	{"list filters by channel, agent and sent time, oldest first", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateChannel(t, s, "ch2")
		mustCreateAgent(t, s, "a1", 0)
		mustCreateAgent(t, s, "a2", 0)
		send := func(ch, phone string, sid int, agent string, at time.Time) string {
			res := mustRecord(t, s, inbound(ch, phone, sid, t0))
			mustClaim(t, s, res.Conversation.ID, agent, t0)
			return mustResolveWithSurvey(t, s, res.Conversation.ID, 1, at, false).ID
		}
		a1ch1 := send("ch1", contactPhone(1), 1, "a1", t0.Add(2*time.Hour))
		a2ch1 := send("ch1", contactPhone(2), 2, "a2", t0.Add(time.Hour))
		a1ch2 := send("ch2", contactPhone(3), 3, "a1", t0.Add(3*time.Hour))
		list := func(f store.SurveyFilter) []string {
			t.Helper()
			svs, err := s.ListSurveys(ctx(t), f)
			noErr(t, err, "ListSurveys")
			ids := make([]string, len(svs))
			for i, sv := range svs {
				ids[i] = sv.ID
			}
			return ids
		}
		sameIDs(t, list(store.SurveyFilter{}), []string{a2ch1, a1ch1, a1ch2}, "all, oldest SentAt first")
		sameIDs(t, list(store.SurveyFilter{ChannelID: "ch1"}), []string{a2ch1, a1ch1}, "channel")
		sameIDs(t, list(store.SurveyFilter{AgentID: "a1"}), []string{a1ch1, a1ch2}, "agent")
		sameIDs(t, list(store.SurveyFilter{From: t0.Add(2 * time.Hour)}), []string{a1ch1, a1ch2}, "From is inclusive")
		sameIDs(t, list(store.SurveyFilter{To: t0.Add(2 * time.Hour)}), []string{a2ch1}, "To is exclusive")
		sameIDs(t, list(store.SurveyFilter{AgentID: "a1", From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}), []string{a1ch1}, "combined")
		sameIDs(t, list(store.SurveyFilter{ChannelID: "nope"}), nil, "no match")
	}},
}
