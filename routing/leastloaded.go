package routing

import "slices"

// LeastLoaded assigns to the eligible candidate with the lowest load, Open/Capacity, so agents fill
// up in proportion to their capacity: with equal capacities the one with the fewest open
// conversations wins.
//
// An unlimited agent (Capacity 0) counts as if its capacity were the largest finite capacity in
// the candidate list (eligible or not), so it takes its fair share rather than everything (load
// always 0) or nothing; when no candidate has a finite capacity, loads compare as open counts.
//
// Ties go to the least recently assigned agent (a zero LastAssigned, never assigned, first), then
// to the smallest ID so the choice is deterministic. The cursor is ignored.
type LeastLoaded struct{}

// Pick returns the least-loaded eligible candidate in one pass (plus one to find the reference
// capacity for unlimited agents), without allocating.
func (LeastLoaded) Pick(cands []Candidate, _ string) (Candidate, bool) {
	ref := referenceCapacity(cands)
	best := -1
	for i := range cands {
		if !cands[i].Eligible() {
			continue
		}
		if best < 0 || compareLoad(&cands[i], &cands[best], ref) < 0 {
			best = i
		}
	}
	if best < 0 {
		return Candidate{}, false
	}
	return cands[best], true
}

// Rank returns the eligible candidates, least loaded first.
func (LeastLoaded) Rank(cands []Candidate, _ string) []Candidate {
	ref := referenceCapacity(cands)
	out := eligibleOf(cands)
	slices.SortFunc(out, func(a, b Candidate) int { return compareLoad(&a, &b, ref) })
	return out
}

// referenceCapacity is the capacity unlimited agents are compared with: the largest finite
// capacity present, or 1 (so loads compare as open counts) when there is none.
func referenceCapacity(cands []Candidate) int64 {
	ref := int64(1)
	for i := range cands {
		ref = max(ref, int64(cands[i].Capacity))
	}
	return ref
}

// compareLoad orders a before b (negative) when a is less loaded, then less recently assigned,
// then has the smaller ID. Loads are compared exactly by cross-multiplying.
func compareLoad(a, b *Candidate, ref int64) int {
	capA, capB := int64(a.Capacity), int64(b.Capacity)
	if capA == 0 {
		capA = ref
	}
	if capB == 0 {
		capB = ref
	}
	if la, lb := int64(a.Open)*capB, int64(b.Open)*capA; la != lb {
		if la < lb {
			return -1
		}
		return 1
	}
	if c := a.LastAssigned.Compare(b.LastAssigned); c != 0 {
		return c
	}
	return compareIDs(a, b)
}
