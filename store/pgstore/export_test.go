package pgstore

// MigrateTo applies the migrations up to version target, for upgrade tests.
var MigrateTo = migrate

// GroupCalls returns the number of grouped calls waiting or being sent.
func (s *Store) GroupCalls() int { return s.group.calls() }

// InboundLookups returns the statements that find an inbound message by
// ID: the processed marks (alone and in a batch) and the queueing finish.
func (s *Store) InboundLookups() map[string]string {
	return map[string]string{"finish": s.q.finish, "finishDurable": s.q.finishDurable, "queue": s.q.queue}
}
