package routing

import "slices"

// RoundRobin hands conversations out in turn, in the stable order of candidate IDs: the next
// eligible agent after cursor (the ID of the agent that got the previous assignment), wrapping
// around from the last ID to the first. Offline and full agents are skipped without losing their
// place: they get their turn again once eligible.
//
// The cursor agent need not be in the list any more (removed from the channel): the turn goes to
// the first eligible ID greater than it. An empty cursor starts at the smallest ID. Load is
// ignored; capacity only makes an agent ineligible.
type RoundRobin struct{}

// Pick returns the first eligible candidate after cursor in ID order, wrapping, in one pass without
// allocating.
func (RoundRobin) Pick(cands []Candidate, cursor string) (Candidate, bool) {
	// next: smallest eligible ID after cursor; wrap: smallest eligible ID up to cursor, used when
	// there is no next. Two string comparisons per candidate.
	next, wrap := -1, -1
	var nextID, wrapID string
	for i := range cands {
		c := &cands[i]
		if !c.Eligible() {
			continue
		}
		if c.ID > cursor {
			if next < 0 || c.ID < nextID {
				next, nextID = i, c.ID
			}
		} else if wrap < 0 || c.ID < wrapID {
			wrap, wrapID = i, c.ID
		}
	}
	switch {
	case next >= 0:
		return cands[next], true
	case wrap >= 0:
		return cands[wrap], true
	}
	return Candidate{}, false
}

// Rank returns the eligible candidates in turn order starting after cursor.
func (RoundRobin) Rank(cands []Candidate, cursor string) []Candidate {
	out := eligibleOf(cands)
	slices.SortFunc(out, func(a, b Candidate) int { return compareIDs(&a, &b) })
	split, _ := slices.BinarySearchFunc(out, cursor, func(c Candidate, id string) int {
		if c.ID <= id {
			return -1
		}
		return 1
	})
	// Rotate so that the first ID after cursor leads; out[:split] wrap to the end.
	slices.Reverse(out[:split])
	slices.Reverse(out[split:])
	slices.Reverse(out)
	return out
}
