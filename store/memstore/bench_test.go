package memstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

var bt0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func benchInbound(phone string, n int, at time.Time) store.InboundRecord {
	return store.InboundRecord{
		ChannelID: "ch1",
		Message: channel.Inbound{
			MessageSID: fmt.Sprintf("SM%032x", n), From: "whatsapp:" + phone, To: "whatsapp:+14155238886",
			Body: "hello", Type: channel.TypeText,
		},
		ReceivedAt: at,
	}
}

// benchStore returns a store with n open conversations, one per contact.
func benchStore(b *testing.B, n int) (*memstore.Store, []string) {
	b.Helper()
	s := memstore.New()
	ids := make([]string, n)
	for i := range n {
		res, err := s.RecordInbound(b.Context(), benchInbound(fmt.Sprintf("+1415%07d", i), i, bt0.Add(time.Duration(i)*time.Second)))
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = res.Conversation.ID
	}
	return s, ids
}

// BenchmarkClaimUnassign measures one assignment and its release.
func BenchmarkClaimUnassign(b *testing.B) {
	s, ids := benchStore(b, 1)
	if err := s.CreateAgent(b.Context(), store.Agent{ID: "a1", Status: store.AgentOnline, Capacity: 1}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.ChangeOwner(b.Context(), store.OwnerChange{ConversationID: ids[0], To: store.Owner{AgentID: "a1"}, At: bt0, CursorKey: "rr"}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ChangeOwner(b.Context(), store.OwnerChange{ConversationID: ids[0], From: store.Owner{AgentID: "a1"}, At: bt0}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueuedConversations measures the queue read with 1,000
// conversations of which every tenth is queued.
func BenchmarkQueuedConversations(b *testing.B) {
	s, ids := benchStore(b, 1000)
	for i := 0; i < len(ids); i += 10 {
		if _, err := s.ChangeOwner(b.Context(), store.OwnerChange{ConversationID: ids[i], At: bt0.Add(time.Duration(len(ids)-i) * time.Second)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if cs, err := s.QueuedConversations(b.Context(), 10); err != nil || len(cs) != 10 {
			b.Fatal(len(cs), err)
		}
	}
}

// BenchmarkRecordInboundRating measures recording messages from a contact
// who has a survey: the first rates it, every one looks surveys up.
func BenchmarkRecordInboundRating(b *testing.B) {
	s, ids := benchStore(b, 1)
	_, _, err := s.Resolve(b.Context(), store.ResolveRequest{
		ConversationID: ids[0], At: bt0,
		Survey: &store.Survey{SentAt: bt0, ExpiresAt: bt0.Add(24 * time.Hour)},
	})
	if err != nil {
		b.Fatal(err)
	}
	n := 1
	b.ReportAllocs()
	for b.Loop() {
		rec := benchInbound("+14150000000", n, bt0.Add(time.Minute))
		rec.Answer = store.SurveyAnswer{Rating: 5, Method: "digits"}
		if _, err := s.RecordInbound(b.Context(), rec); err != nil {
			b.Fatal(err)
		}
		n++
	}
}
