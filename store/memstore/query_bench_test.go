package memstore_test

import (
	"testing"

	"github.com/livedesk/livedesk/store"
)

// BenchmarkQueryConversations reads one 50-conversation page out of
// 10,000 conversations (each with one message): the first page, a page
// filtered by label (one conversation in ten), and a text search.
func BenchmarkQueryConversations(b *testing.B) {
	s, ids := benchStore(b, 10000)
	for i, id := range ids {
		if i%10 == 0 {
			if _, err := s.AddLabel(b.Context(), id, "vip", bt0); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		name string
		q    store.ConversationQuery
	}{
		{"first_page", store.ConversationQuery{}},
		{"label", store.ConversationQuery{Label: "vip"}},
		{"text", store.ConversationQuery{Text: "HELLO"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := s.QueryConversations(b.Context(), c.q)
				if err != nil || len(p.Conversations) != store.DefaultPageSize {
					b.Fatalf("page: %d conversations, %v", len(p.Conversations), err)
				}
			}
		})
	}
}
