package memstore

import "github.com/livedesk/livedesk/store"

// PutSurveys stores surveys as they are, for benchmarks that need many.
func (s *Store) PutSurveys(svs []store.Survey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range svs {
		sv := svs[i]
		s.surveys[sv.ID] = &sv
		s.surveyList = append(s.surveyList, &sv)
	}
}
