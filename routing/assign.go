package routing

import (
	"strings"
	"time"
)

// Candidate is one human agent that could take a conversation, as seen at decision time.
type Candidate struct {
	// ID identifies the agent; IDs must be unique within one candidate list.
	ID string
	// Open is the number of conversations the agent currently has open.
	Open int
	// Capacity is the most open conversations the agent may have; 0 means unlimited and a negative
	// value means the agent takes none.
	Capacity int
	// Online is whether the agent is available for new conversations.
	Online bool
	// LastAssigned is when the agent last got a conversation; the zero time means never.
	LastAssigned time.Time
}

// Eligible reports whether c may take one more conversation: online and below capacity.
func (c Candidate) Eligible() bool {
	return c.Online && (c.Capacity == 0 || c.Capacity > 0 && c.Open < c.Capacity)
}

// Assigner chooses among candidates for a conversation. Implementations are pure: they read the
// candidates (and the cursor), never modify the slice, and return the same answer for the same
// input, so a caller can retry or test them freely.
//
// The rules every Assigner follows:
//   - only eligible candidates (Candidate.Eligible) are ever returned;
//   - Pick returns the same candidate as Rank(...)[0], or false when Rank would be empty;
//   - Pick is O(n) and does not allocate; Rank returns a new slice.
//
// The caller claims the picked agent atomically (the claim fails if the agent filled up meanwhile)
// and on failure tries the next candidate from Rank.
type Assigner interface {
	// Pick returns the best eligible candidate, or false when none is eligible. cursor is the ID
	// of the agent that got the previous assignment in this pool ("" if none); strategies that do
	// not rotate ignore it.
	Pick(cands []Candidate, cursor string) (Candidate, bool)
	// Rank returns every eligible candidate in preference order, for falling back when a claim
	// fails. It returns nil when none is eligible.
	Rank(cands []Candidate, cursor string) []Candidate
}

var (
	_ Assigner = LeastLoaded{}
	_ Assigner = RoundRobin{}
)

// eligibleOf returns a new slice of the eligible candidates, or nil.
func eligibleOf(cands []Candidate) []Candidate {
	var out []Candidate
	for _, c := range cands {
		if c.Eligible() {
			if out == nil {
				out = make([]Candidate, 0, len(cands))
			}
			out = append(out, c)
		}
	}
	return out
}

// compareIDs orders candidates by ID, the deterministic last tie-break of every strategy.
func compareIDs(a, b *Candidate) int { return strings.Compare(a.ID, b.ID) }
