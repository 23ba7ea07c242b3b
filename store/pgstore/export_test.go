package pgstore

// MigrateTo applies the migrations up to version target, for upgrade tests.
var MigrateTo = migrate

// GroupCalls returns the number of grouped calls waiting or being sent.
func (s *Store) GroupCalls() int {
	waiting, sending := s.group.calls()
	return waiting + sending
}

// GroupWaiting returns the number of grouped calls waiting for a flusher.
func (s *Store) GroupWaiting() int {
	waiting, _ := s.group.calls()
	return waiting
}

// InboundLookups returns the statements that find an inbound message by
// ID: the processed marks (alone and in a batch) and the queueing finish.
func (s *Store) InboundLookups() map[string]string {
	return map[string]string{"finish": s.q.finish, "finishDurable": s.q.finishDurable, "queue": s.q.queue}
}

// GroupBatches returns the number of batches of several calls sent and
// of those that failed and were rerun call by call.
func (s *Store) GroupBatches() (sent, rerun int64) {
	return s.group.batches.Load(), s.group.reruns.Load()
}
