package pgstore

import "github.com/livedesk/livedesk/store"

// ConversationQuerySQL returns QueryConversations' statement and
// arguments, for plan tests.
func (s *Store) ConversationQuerySQL(q store.ConversationQuery) (string, []any) {
	return s.conversationQuerySQL(q)
}
