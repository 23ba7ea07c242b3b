package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/store"
)

// Survey implements store.Surveys.
func (s *Store) Survey(ctx context.Context, id string) (store.Survey, error) {
	if err := ctx.Err(); err != nil {
		return store.Survey{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sv, ok := s.surveys[id]
	if !ok {
		return store.Survey{}, fmt.Errorf("memstore: survey %q: %w", id, store.ErrNotFound)
	}
	return *sv, nil
}

// ListSurveys implements store.Surveys. Surveys sent at the same time come
// in the order they were created.
func (s *Store) ListSurveys(ctx context.Context, f store.SurveyFilter) ([]store.Survey, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Survey
	for _, sv := range s.surveys {
		if (f.ChannelID != "" && sv.ChannelID != f.ChannelID) ||
			(f.AgentID != "" && sv.AgentID != f.AgentID) ||
			(!f.From.IsZero() && sv.SentAt.Before(f.From)) ||
			(!f.To.IsZero() && !sv.SentAt.Before(f.To)) {
			continue
		}
		out = append(out, *sv)
	}
	slices.SortFunc(out, func(a, b store.Survey) int {
		if c := a.SentAt.Compare(b.SentAt); c != 0 {
			return c
		}
		return cmp.Compare(s.surveySeq[a.ID], s.surveySeq[b.ID])
	})
	return out, nil
}

// ExpireSurveys implements store.Surveys.
func (s *Store) ExpireSurveys(ctx context.Context, now time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, sv := range s.surveys {
		if !sv.Closed && !sv.ExpiresAt.After(now) {
			sv.Closed = true
			n++
		}
	}
	return n, nil
}

// openSurveyLocked returns the contact's survey an inbound message received
// at may answer: the one named by the payload when it is the contact's and
// still open, else the contact's latest open survey (latest SentAt, then
// latest created). A payload naming a closed, expired or foreign survey
// does not stop the contact's pending survey from being answered: the
// payload only tells the contact's open surveys apart.
func (s *Store) openSurveyLocked(contactID, named string, at time.Time) *store.Survey {
	open := func(sv *store.Survey) bool {
		return sv != nil && sv.ContactID == contactID && !sv.Closed && sv.ExpiresAt.After(at)
	}
	if sv := s.surveys[named]; named != "" && open(sv) {
		return sv
	}
	var latest *store.Survey
	for _, id := range s.contactSurveys[contactID] { // oldest first
		if sv := s.surveys[id]; open(sv) && (latest == nil || !sv.SentAt.Before(latest.SentAt)) {
			latest = sv
		}
	}
	return latest
}

// answerSurvey applies an inbound message to an open survey and says what
// it was: the rating, the comment that follows it, or neither (the survey
// closes: only the message right after the survey is read as an answer).
func answerSurvey(sv *store.Survey, rec store.InboundRecord, text string) store.SurveyOutcome {
	switch {
	case sv.Rating == 0 && rec.Answer.Rating >= 1 && rec.Answer.Rating <= 5:
		sv.Rating = rec.Answer.Rating
		sv.RatingMethod = rec.Answer.Method
		sv.RatedAt = rec.ReceivedAt
		sv.Closed = !sv.WantsComment
		return store.SurveyRated
	case sv.Rating != 0 && sv.WantsComment && sv.CommentAt.IsZero():
		sv.Comment = text
		sv.CommentAt = rec.ReceivedAt
		sv.Closed = true
		return store.SurveyCommented
	default:
		sv.Closed = true
		return store.SurveyIgnored
	}
}
