package csat

import "slices"

// maxDensePeriods bounds the slice of periodTallies: 16,384 periods is 45
// years of days. Keys beyond it (absurd SentAt values) go to a map.
const maxDensePeriods = 1 << 14

// periodTallies holds one tally per period key. A report's keys are close
// together (90 days are 90 keys), so they live in a slice indexed from the
// smallest key, which is several times cheaper than a map per entry; a key
// that would stretch the slice past maxDensePeriods goes to a map instead,
// and from then on every new key does, so no key is ever in both.
type periodTallies struct {
	base   int64   // key of dense[0]
	dense  []Tally // dense[i] is key base+i; Sent == 0 means no entry yet
	sparse map[int64]*Tally
}

// at returns the tally of key, creating it.
func (p *periodTallies) at(key int64) *Tally {
	if i := key - p.base; i >= 0 && i < int64(len(p.dense)) {
		return &p.dense[i]
	}
	if t := p.sparse[key]; t != nil {
		return t
	}
	if p.sparse == nil {
		if len(p.dense) == 0 {
			p.base = key
		}
		if t, ok := p.grow(key); ok {
			return t
		}
		p.sparse = map[int64]*Tally{}
	}
	t := &Tally{}
	p.sparse[key] = t
	return t
}

// grow widens dense to cover key, doubling in that direction so that keys
// arriving in order cost amortized O(1).
func (p *periodTallies) grow(key int64) (*Tally, bool) {
	lo, hi := p.base, p.base+int64(len(p.dense)) // [lo, hi)
	n := max(int64(len(p.dense)), 8)
	switch {
	case key < lo:
		lo = min(key, hi-2*n)
	default:
		hi = max(key+1, lo+2*n)
	}
	if key < lo || key >= hi || hi-lo > maxDensePeriods {
		// Doubling overshot the cap: try the exact range.
		lo, hi = min(p.base, key), max(p.base+int64(len(p.dense)), key+1)
		if hi-lo > maxDensePeriods {
			return nil, false
		}
	}
	dense := make([]Tally, hi-lo)
	copy(dense[p.base-lo:], p.dense)
	p.base, p.dense = lo, dense
	return &p.dense[key-lo], true
}

// sorted returns the used keys in order with their tallies.
func (p *periodTallies) sorted() ([]int64, []Tally) {
	var keys []int64
	var tallies []Tally
	for i, t := range p.dense {
		if t.Sent > 0 {
			keys = append(keys, p.base+int64(i))
			tallies = append(tallies, t)
		}
	}
	if len(p.sparse) == 0 {
		return keys, tallies
	}
	for k := range p.sparse {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	tallies = tallies[:0]
	for _, k := range keys {
		if i := k - p.base; i >= 0 && i < int64(len(p.dense)) {
			tallies = append(tallies, p.dense[i])
		} else {
			tallies = append(tallies, *p.sparse[k])
		}
	}
	return keys, tallies
}
