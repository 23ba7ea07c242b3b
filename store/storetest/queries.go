package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// ids returns the IDs of a page's conversations, in order.
func ids(p store.ConversationPage) []string {
	out := make([]string, len(p.Conversations))
	for i, c := range p.Conversations {
		out[i] = c.ID
	}
	return out
}

func mustQuery(t *testing.T, s store.Store, q store.ConversationQuery, what string) store.ConversationPage {
	t.Helper()
	p, err := s.QueryConversations(ctx(t), q)
	noErr(t, err, what)
	return p
}

// allPages reads every page of q, inserting between pages with between
// (nil: nothing), and returns the IDs in order.
func allPages(t *testing.T, s store.Store, q store.ConversationQuery, between func(page int)) []string {
	t.Helper()
	var out []string
	for page := 0; ; page++ {
		p := mustQuery(t, s, q, fmt.Sprintf("page %d", page))
		if len(p.Conversations) > q.PageSize() {
			t.Fatalf("page %d has %d conversations, limit %d", page, len(p.Conversations), q.PageSize())
		}
		out = append(out, ids(p)...)
		if p.Next == "" {
			return out
		}
		if between != nil {
			between(page)
		}
		q.Cursor = p.Next
		if page > 1000 {
			t.Fatal("pagination does not end")
		}
	}
}

var queryCases = []testCase{
	{"each filter selects exactly its conversations, newest update first", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateChannel(t, s, "ch2")
		mustCreateAgent(t, s, "a1", 5)
		plain := newConversation(t, s, 1)                                                    // t0+1s
		human := newConversation(t, s, 2)                                                    // t0+2s
		bot := newConversation(t, s, 3)                                                      // t0+3s
		team := newConversation(t, s, 4)                                                     // t0+4s
		other := mustRecord(t, s, inbound("ch2", contactPhone(5), 5, t0.Add(5*time.Second))) // t0+5s
		mustClaim(t, s, human.Conversation.ID, "a1", t0.Add(6*time.Second))
		_, err := s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: bot.Conversation.ID, To: store.Owner{AIAgentID: "bot"}, At: t0.Add(7 * time.Second)})
		noErr(t, err, "AI owner")
		_, err = s.ChangeOwner(ctx(t), store.OwnerChange{ConversationID: team.Conversation.ID, Queue: routing.Target{Team: "billing"}, At: t0.Add(8 * time.Second)})
		noErr(t, err, "queue for team")
		_, err = s.AddLabel(ctx(t), plain.Conversation.ID, "vip", t0)
		noErr(t, err, "AddLabel")
		_, _, err = s.Enqueue(ctx(t), store.Message{ConversationID: other.Conversation.ID, Kind: store.KindReply, Key: "k1", Text: "Your ORDER 100% shipped"}, t0.Add(9*time.Second))
		noErr(t, err, "Enqueue")
		_, _, err = s.AddNote(ctx(t), store.Message{ConversationID: human.Conversation.ID, AuthorID: "a1", Text: "refund_approved by Bea"}, t0.Add(10*time.Second))
		noErr(t, err, "AddNote")
		for _, c := range []struct {
			name string
			q    store.ConversationQuery
			want []store.InboundResult
		}{
			{"none: all, newest update first", store.ConversationQuery{}, []store.InboundResult{team, bot, human, other, plain}},
			{"channel", store.ConversationQuery{ChannelID: "ch2"}, []store.InboundResult{other}},
			{"contact", store.ConversationQuery{ContactID: human.Contact.ID}, []store.InboundResult{human}},
			{"status open", store.ConversationQuery{Status: store.StatusOpen}, []store.InboundResult{team, bot, human, other, plain}},
			{"status resolved", store.ConversationQuery{Status: store.StatusResolved}, nil},
			{"assignee", store.ConversationQuery{AssigneeID: "a1"}, []store.InboundResult{human}},
			{"team", store.ConversationQuery{Team: "billing"}, []store.InboundResult{team}},
			{"AI-owned", store.ConversationQuery{AIOwned: store.FlagYes}, []store.InboundResult{bot}},
			{"not AI-owned", store.ConversationQuery{AIOwned: store.FlagNo, ChannelID: "ch1"}, []store.InboundResult{team, human, plain}},
			{"queued", store.ConversationQuery{Queued: store.FlagYes}, []store.InboundResult{team}},
			{"not queued, channel 1", store.ConversationQuery{Queued: store.FlagNo, ChannelID: "ch1"}, []store.InboundResult{bot, human, plain}},
			{"contact phone", store.ConversationQuery{ContactPhone: contactPhone(3)}, []store.InboundResult{bot}},
			{"label", store.ConversationQuery{Label: "vip"}, []store.InboundResult{plain}},
			{"unknown label", store.ConversationQuery{Label: "nobody-has-it"}, nil},
			{"text in an outbound message, any case, % is literal", store.ConversationQuery{Text: "order 100%"}, []store.InboundResult{other}},
			{"text: % does not match anything", store.ConversationQuery{Text: "order 1%0"}, nil},
			{"text: _ is literal", store.ConversationQuery{Text: "d_b"}, nil},
			{"text in a note", store.ConversationQuery{Text: "REFUND_APPROVED"}, []store.InboundResult{human}},
			{"text in an inbound message", store.ConversationQuery{Text: "message 4"}, []store.InboundResult{team}},
			{"updated since", store.ConversationQuery{UpdatedSince: t0.Add(7 * time.Second)}, []store.InboundResult{team, bot}},
			{"combined", store.ConversationQuery{ChannelID: "ch1", Status: store.StatusOpen, Queued: store.FlagNo, UpdatedSince: t0.Add(2 * time.Second)}, []store.InboundResult{bot, human}},
		} {
			want := []string{}
			for _, r := range c.want {
				want = append(want, r.Conversation.ID)
			}
			sameIDs(t, ids(mustQuery(t, s, c.q, c.name)), want, c.name)
		}
		p := mustQuery(t, s, store.ConversationQuery{Label: "vip"}, "labels in the page")
		if got := p.Conversations[0].Labels; !slices.Equal(got, []string{"vip"}) {
			t.Fatalf("page labels: got %v, want [vip]", got)
		}
		equal(t, p.Conversations[0].Status, store.StatusOpen, "page carries the conversation")
	}},
	{"pages follow the order with no row skipped or repeated while conversations are inserted between pages", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		var want []string
		for n := 1; n <= 23; n++ {
			// Groups of three share an UpdatedAt: the ID breaks the tie.
			res := mustRecord(t, s, inbound("ch1", contactPhone(n), n, t0.Add(time.Duration((n+2)/3)*time.Second)))
			want = append(want, res.Conversation.ID)
		}
		var before []store.Conversation
		for _, id := range want {
			before = append(before, mustConversation(t, s, id))
		}
		slices.SortFunc(before, func(a, b store.Conversation) int {
			if d := b.UpdatedAt.Compare(a.UpdatedAt); d != 0 {
				return d
			}
			return strings.Compare(b.ID, a.ID)
		})
		want = want[:0]
		for _, c := range before {
			want = append(want, c.ID)
		}
		n := 100
		insert := func(int) {
			// A newer conversation, and one with an UpdatedAt equal to
			// conversations already read.
			for _, at := range []time.Time{t0.Add(time.Hour), t0.Add(4 * time.Second)} {
				n++
				mustRecord(t, s, inbound("ch1", contactPhone(n), n, at))
			}
		}
		got := allPages(t, s, store.ConversationQuery{Limit: 4, ChannelID: "ch1"}, insert)
		// Every conversation that existed is read once, in order; those
		// inserted meanwhile sort before the cursor and are not.
		var old []string
		for _, id := range got {
			if slices.Contains(want, id) {
				old = append(old, id)
			}
		}
		sameIDs(t, old, want, "existing conversations across pages")
		seen := map[string]bool{}
		for _, id := range got {
			if seen[id] {
				t.Fatalf("conversation %s read twice", id)
			}
			seen[id] = true
		}
		// The last page ends the list: no empty page with a cursor.
		all := allPages(t, s, store.ConversationQuery{Limit: 5}, nil)
		equal(t, len(all), 23+(n-100), "a fresh read sees every conversation")
	}},
	{"message pages follow the timeline; messages added between pages are read once", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		conv := res.Conversation.ID
		for i := 2; i <= 7; i++ {
			mustRecord(t, s, inbound("ch1", contactPhone(1), i, t0.Add(time.Duration(i)*time.Second)))
		}
		all, err := s.Messages(ctx(t), conv)
		noErr(t, err, "Messages")
		var got []string
		q := store.MessageQuery{Limit: 3}
		added := 0
		for page := 0; ; page++ {
			p, err := s.QueryMessages(ctx(t), conv, q)
			noErr(t, err, "QueryMessages")
			for _, m := range p.Messages {
				got = append(got, m.ID)
			}
			if p.Next == "" {
				break
			}
			// A message at the cursor's own time and a later one.
			_, _, err = s.AddNote(ctx(t), store.Message{ConversationID: conv, AuthorID: "a1", Text: fmt.Sprint("note ", page)}, p.Messages[len(p.Messages)-1].CreatedAt)
			noErr(t, err, "AddNote")
			mustRecord(t, s, inbound("ch1", contactPhone(1), 100+page, t0.Add(time.Hour+time.Duration(page)*time.Second)))
			added += 2
			q.Cursor = p.Next
		}
		after, err := s.Messages(ctx(t), conv)
		noErr(t, err, "Messages after")
		equal(t, len(after), len(all)+added, "messages in the end")
		want := make([]string, len(after))
		for i, m := range after {
			want[i] = m.ID
		}
		sameIDs(t, got, want, "pages in timeline order, each message once")
		// Cursor of another conversation; bad queries; unknown conversation.
		other := newConversation(t, s, 50)
		p, err := s.QueryMessages(ctx(t), other.Conversation.ID, store.MessageQuery{Limit: 1})
		noErr(t, err, "other conversation")
		equal(t, p.Next, "", "a one-message timeline has one page")
		_, err = s.QueryMessages(ctx(t), other.Conversation.ID, store.MessageQuery{Cursor: store.MessageCursor(after[0])})
		wantErr(t, err, store.ErrInvalid, "cursor of another conversation")
		_, err = s.QueryMessages(ctx(t), conv, store.MessageQuery{Cursor: "nope"})
		wantErr(t, err, store.ErrInvalid, "garbage cursor")
		_, err = s.QueryMessages(ctx(t), conv, store.MessageQuery{Limit: store.MaxPageSize + 1})
		wantErr(t, err, store.ErrInvalid, "limit too large")
		_, err = s.QueryMessages(ctx(t), "nope", store.MessageQuery{})
		wantErr(t, err, store.ErrNotFound, "unknown conversation")
		for _, m := range after {
			got, err := s.Message(ctx(t), m.ID)
			noErr(t, err, "Message")
			equal(t, got.ID, m.ID, "Message ID")
			equal(t, got.Direction, m.Direction, "Message Direction")
			equal(t, got.Text, m.Text, "Message Text")
			if (got.Inbound == nil) != (m.Inbound == nil) {
				t.Fatalf("Message %s: Inbound %v, want %v", m.ID, got.Inbound, m.Inbound)
			}
		}
		_, err = s.Message(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "unknown message")
	}},
	{"bad conversation queries are ErrInvalid", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		newConversation(t, s, 1)
		for name, q := range map[string]store.ConversationQuery{
			"negative limit":    {Limit: -1},
			"limit too large":   {Limit: store.MaxPageSize + 1},
			"unknown status":    {Status: "pending"},
			"bad flag":          {AIOwned: 7},
			"bad label":         {Label: "VIP"},
			"text too long":     {Text: strings.Repeat("a", store.MaxSearchText+1)},
			"garbage cursor":    {Cursor: "%%%"},
			"message cursor":    {Cursor: store.MessageCursor(store.Message{ID: "m", CreatedAt: t0})},
			"cursor with no ID": {Cursor: store.ConversationCursor(store.Conversation{UpdatedAt: t0})},
		} {
			_, err := s.QueryConversations(ctx(t), q)
			wantErr(t, err, store.ErrInvalid, name)
		}
	}},
}

var labelCases = []testCase{
	{"labels are added once, listed sorted, removed, and filter conversations", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		a := newConversation(t, s, 1)
		b := newConversation(t, s, 2)
		conv := a.Conversation.ID
		for _, l := range []string{"vip", "billing:refund", "vip", "2fa"} {
			_, err := s.AddLabel(ctx(t), conv, l, t0)
			noErr(t, err, "AddLabel "+l)
		}
		added, err := s.AddLabel(ctx(t), conv, "vip", t0)
		noErr(t, err, "AddLabel again")
		equal(t, added, false, "adding an existing label")
		ls, err := s.Labels(ctx(t), conv)
		noErr(t, err, "Labels")
		sameIDs(t, ls, []string{"2fa", "billing:refund", "vip"}, "labels")
		_, err = s.AddLabel(ctx(t), b.Conversation.ID, "vip", t0)
		noErr(t, err, "AddLabel b")
		sameIDs(t, ids(mustQuery(t, s, store.ConversationQuery{Label: "vip"}, "vip")), []string{b.Conversation.ID, a.Conversation.ID}, "vip")
		removed, err := s.RemoveLabel(ctx(t), conv, "vip")
		noErr(t, err, "RemoveLabel")
		equal(t, removed, true, "removed")
		removed, err = s.RemoveLabel(ctx(t), conv, "vip")
		noErr(t, err, "RemoveLabel again")
		equal(t, removed, false, "removing a missing label")
		sameIDs(t, ids(mustQuery(t, s, store.ConversationQuery{Label: "vip"}, "vip after")), []string{b.Conversation.ID}, "vip after removal")
		ls, err = s.Labels(ctx(t), b.Conversation.ID)
		noErr(t, err, "Labels b")
		sameIDs(t, ls, []string{"vip"}, "b's labels")
		before := mustConversation(t, s, conv)
		sameTime(t, before.UpdatedAt, a.Conversation.UpdatedAt, "labels do not move UpdatedAt")
		empty := newConversation(t, s, 3)
		ls, err = s.Labels(ctx(t), empty.Conversation.ID)
		noErr(t, err, "Labels of an unlabelled conversation")
		if ls == nil || len(ls) != 0 {
			t.Fatalf("labels of an unlabelled conversation: got %#v, want empty", ls)
		}
	}},
	{"bad labels and unknown conversations change nothing", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		conv := newConversation(t, s, 1).Conversation.ID
		for _, l := range []string{"", "VIP", "-x", "has space", "semi;colon", strings.Repeat("a", store.MaxLabelLength+1), "\xff"} {
			_, err := s.AddLabel(ctx(t), conv, l, t0)
			wantErr(t, err, store.ErrInvalid, fmt.Sprintf("AddLabel %q", l))
			_, err = s.RemoveLabel(ctx(t), conv, l)
			wantErr(t, err, store.ErrInvalid, fmt.Sprintf("RemoveLabel %q", l))
		}
		for _, l := range []string{"é-ü", "a", "x/y.z_1", strings.Repeat("a", store.MaxLabelLength)} {
			noErr(t, store.CheckLabel(l), "CheckLabel "+l)
		}
		ls, err := s.Labels(ctx(t), conv)
		noErr(t, err, "Labels")
		equal(t, len(ls), 0, "no label was added")
		_, err = s.AddLabel(ctx(t), "nope", "vip", t0)
		wantErr(t, err, store.ErrNotFound, "AddLabel unknown")
		_, err = s.RemoveLabel(ctx(t), "nope", "vip")
		wantErr(t, err, store.ErrNotFound, "RemoveLabel unknown")
		_, err = s.Labels(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "Labels unknown")
	}},
}

var noteCases = []testCase{
	{"a note is in the timeline, never in the outbox, and moves neither LastAgentReplyAt nor UpdatedAt", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := newConversation(t, s, 1)
		conv := res.Conversation.ID
		at := t0.Add(time.Minute)
		n, created, err := s.AddNote(ctx(t), store.Message{ConversationID: conv, AuthorID: "a1", Text: "Customer is a reseller", Key: "note-1"}, at)
		noErr(t, err, "AddNote")
		equal(t, created, true, "created")
		equal(t, n.Direction, store.Internal, "Direction")
		equal(t, n.Kind, store.KindNote, "Kind")
		equal(t, n.AuthorID, "a1", "AuthorID")
		equal(t, n.ChannelID, "ch1", "ChannelID")
		equal(t, n.ContactID, res.Contact.ID, "ContactID")
		equal(t, n.Status, store.DeliveryStatus(""), "Status")
		sameTime(t, n.CreatedAt, at, "CreatedAt")
		if n.ID == "" {
			t.Fatal("note has no ID")
		}
		again, created, err := s.AddNote(ctx(t), store.Message{ConversationID: conv, AuthorID: "a1", Text: "other text", Key: "note-1"}, at.Add(time.Second))
		noErr(t, err, "AddNote again")
		equal(t, created, false, "same key: not created")
		equal(t, again.ID, n.ID, "same key: same note")
		equal(t, again.Text, "Customer is a reseller", "same key: first text kept")
		msgs, err := s.Messages(ctx(t), conv)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 2, "inbound + note")
		equal(t, msgs[1].ID, n.ID, "note in the timeline")
		claims, err := s.ClaimOutbound(ctx(t), at.Add(time.Hour), time.Minute, 10)
		noErr(t, err, "ClaimOutbound")
		equal(t, len(claims), 0, "claims")
		c := mustConversation(t, s, conv)
		sameTime(t, c.LastAgentReplyAt, time.Time{}, "LastAgentReplyAt")
		sameTime(t, c.UpdatedAt, res.Conversation.UpdatedAt, "UpdatedAt")
		un, err := s.UnprocessedInbound(ctx(t), at.Add(time.Hour), 10)
		noErr(t, err, "UnprocessedInbound")
		for _, m := range un {
			if m.ID == n.ID {
				t.Fatal("a note is listed as unprocessed inbound")
			}
		}
		// A reply queued after the note is claimed: the note holds nothing.
		_, _, err = s.Enqueue(ctx(t), store.Message{ConversationID: conv, Kind: store.KindReply, Key: "r1", Text: "hi"}, at)
		noErr(t, err, "Enqueue")
		claims, err = s.ClaimOutbound(ctx(t), at.Add(time.Hour), time.Minute, 10)
		noErr(t, err, "ClaimOutbound after reply")
		equal(t, len(claims), 1, "the reply is claimed")
		equal(t, claims[0].Message.Key, "r1", "claimed key")
	}},
	{"a note is not an inbound message: FinishInbound of it is ErrNotFound and queues nothing", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		conv := newConversation(t, s, 1).Conversation.ID
		n, _, err := s.AddNote(ctx(t), store.Message{ConversationID: conv, AuthorID: "a1", Text: "x"}, t0)
		noErr(t, err, "AddNote")
		_, err = s.FinishInbound(ctx(t), n.ID, nil, t0)
		wantErr(t, err, store.ErrNotFound, "FinishInbound(note)")
		_, err = s.FinishInbound(ctx(t), n.ID, []store.Message{{ConversationID: conv, Kind: store.KindReply, Key: "k", Text: "hi"}}, t0)
		wantErr(t, err, store.ErrNotFound, "FinishInbound(note) with a message to queue")
		msgs, err := s.Messages(ctx(t), conv)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 2, "nothing queued")
		equal(t, msgs[1].Processed, false, "the note is not marked processed")
	}},
	{"bad notes and unknown conversations change nothing", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		conv := newConversation(t, s, 1).Conversation.ID
		for name, m := range map[string]store.Message{
			"no author":          {ConversationID: conv, Text: "x"},
			"no text":            {ConversationID: conv, AuthorID: "a1", Text: "  "},
			"too long":           {ConversationID: conv, AuthorID: "a1", Text: strings.Repeat("a", store.MaxNoteLength+1)},
			"bad UTF-8":          {ConversationID: conv, AuthorID: "a1", Text: "\xff"},
			"no conversation ID": {AuthorID: "a1", Text: "x"},
		} {
			_, _, err := s.AddNote(ctx(t), m, t0)
			wantErr(t, err, store.ErrInvalid, name)
		}
		_, _, err := s.AddNote(ctx(t), store.Message{ConversationID: "nope", AuthorID: "a1", Text: "x"}, t0)
		wantErr(t, err, store.ErrNotFound, "unknown conversation")
		msgs, err := s.Messages(ctx(t), conv)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 1, "no note was added")
	}},
}
