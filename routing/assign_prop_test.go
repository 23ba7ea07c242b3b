package routing

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// pool is the simulated desk of the property tests: agents whose Open counts change as
// conversations arrive (Pick, then claim) and are resolved, and who go on- and offline.
type pool struct {
	agents []Candidate
	cursor string
	step   int
}

func drawPool(t *rapid.T, capacities *rapid.Generator[int]) *pool {
	n := rapid.IntRange(1, 8).Draw(t, "agents")
	order := rapid.Permutation(seq(n)).Draw(t, "order") // IDs not in slice order
	p := &pool{}
	for i := range n {
		p.agents = append(p.agents, Candidate{
			ID:       fmt.Sprintf("agent-%d", order[i]),
			Capacity: capacities.Draw(t, "capacity"),
			Online:   rapid.Bool().Draw(t, "online"),
		})
	}
	return p
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func (p *pool) now() time.Time { return t0.Add(time.Duration(p.step) * time.Second) }

// claim records an assignment to id, as the desk's atomic claim would.
func (p *pool) claim(id string) {
	for i := range p.agents {
		if p.agents[i].ID == id {
			p.agents[i].Open++
			p.agents[i].LastAssigned = p.now()
		}
	}
	p.cursor = id
}

func (p *pool) checkCapacity(t *rapid.T) {
	for _, a := range p.agents {
		if a.Capacity > 0 && a.Open > a.Capacity {
			t.Fatalf("agent %s has %d open conversations, capacity %d", a.ID, a.Open, a.Capacity)
		}
	}
}

// spreads returns, per capacity, the max-min open count among online agents of that capacity.
func (p *pool) spreads() map[int]int {
	lo, hi := map[int]int{}, map[int]int{}
	for _, a := range p.agents {
		if !a.Online {
			continue
		}
		if _, seen := lo[a.Capacity]; !seen {
			lo[a.Capacity], hi[a.Capacity] = a.Open, a.Open
		}
		lo[a.Capacity] = min(lo[a.Capacity], a.Open)
		hi[a.Capacity] = max(hi[a.Capacity], a.Open)
	}
	for c := range hi {
		hi[c] -= lo[c]
	}
	return hi
}

// oracleLeastLoaded is an independent statement of LeastLoaded's order, with exact rationals.
func oracleLeastLoaded(cands []Candidate) []Candidate {
	ref := 1
	for _, c := range cands {
		ref = max(ref, c.Capacity)
	}
	load := func(c Candidate) *big.Rat {
		capacity := c.Capacity
		if capacity == 0 {
			capacity = ref
		}
		return big.NewRat(int64(c.Open), int64(capacity))
	}
	var out []Candidate
	for _, c := range cands {
		if c.Online && (c.Capacity == 0 || c.Open < c.Capacity) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Candidate) int {
		if c := load(a).Cmp(load(b)); c != 0 {
			return c
		}
		if !a.LastAssigned.Equal(b.LastAssigned) {
			if a.LastAssigned.Before(b.LastAssigned) {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// oracleRoundRobin is an independent statement of RoundRobin's order: eligible IDs sorted, the
// ones after the cursor first.
func oracleRoundRobin(cands []Candidate, cursor string) []string {
	var after, before []string
	for _, c := range cands {
		if c.Online && (c.Capacity == 0 || c.Open < c.Capacity) {
			if c.ID > cursor {
				after = append(after, c.ID)
			} else {
				before = append(before, c.ID)
			}
		}
	}
	slices.Sort(after)
	slices.Sort(before)
	return append(after, before...)
}

// TestLeastLoadedProperties simulates random arrivals, resolves and presence flips.
//
// Invariants checked at every arrival:
//   - Pick and Rank agree with an independent oracle (exact load, then least recently assigned,
//     then ID), and Pick is Rank's first; nothing is picked only when nobody is eligible;
//   - no agent ever exceeds a finite capacity;
//   - among online agents of equal capacity, an arrival never widens the max-min open spread,
//     except from 0 to 1. Resolves and presence flips may widen it (an agent back from a break
//     has fewer), so the spread is not always <= 1; but arrivals alone, from any state, only
//     narrow it, which TestLeastLoadedBalancesEqualAgents checks from zero.
func TestLeastLoadedProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPool(t, rapid.SampledFrom([]int{0, 1, 2, 3, 5}))
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for p.step = 1; p.step <= steps; p.step++ {
			switch rapid.IntRange(0, 9).Draw(t, "action") {
			case 0, 1: // a conversation is resolved
				i := rapid.IntRange(0, len(p.agents)-1).Draw(t, "resolver")
				if p.agents[i].Open > 0 {
					p.agents[i].Open--
				}
			case 2: // an agent goes on- or offline
				i := rapid.IntRange(0, len(p.agents)-1).Draw(t, "flipper")
				p.agents[i].Online = !p.agents[i].Online
			default: // a conversation arrives
				want := oracleLeastLoaded(p.agents)
				rank := LeastLoaded{}.Rank(p.agents, p.cursor)
				if !slices.Equal(ids(rank), ids(want)) {
					t.Fatalf("Rank = %v, oracle %v (agents %+v)", ids(rank), ids(want), p.agents)
				}
				got, ok := LeastLoaded{}.Pick(p.agents, p.cursor)
				if ok != (len(want) > 0) || ok && got.ID != want[0].ID {
					t.Fatalf("Pick = %q, %v; oracle %v", got.ID, ok, ids(want))
				}
				if !ok {
					continue
				}
				before := p.spreads()
				p.claim(got.ID)
				for capacity, spread := range p.spreads() {
					if spread > max(before[capacity], 1) {
						t.Fatalf("capacity-%d group spread went from %d to %d after assigning %s",
							capacity, before[capacity], spread, got.ID)
					}
				}
			}
			p.checkCapacity(t)
		}
	})
}

// TestLeastLoadedBalancesEqualAgents: with online agents of one capacity, arrivals only, the
// open counts never differ by more than one, and everyone fills up before anyone is refused.
func TestLeastLoadedBalancesEqualAgents(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 10).Draw(t, "agents")
		capacity := rapid.IntRange(0, 6).Draw(t, "capacity")
		p := &pool{}
		for i := range n {
			p.agents = append(p.agents, Candidate{ID: fmt.Sprintf("a%02d", i), Capacity: capacity, Online: true})
		}
		arrivals := rapid.IntRange(0, 80).Draw(t, "arrivals")
		for p.step = 1; p.step <= arrivals; p.step++ {
			got, ok := LeastLoaded{}.Pick(p.agents, "")
			if capacity > 0 && p.step > n*capacity {
				if ok {
					t.Fatalf("arrival %d assigned to %s although all %d agents are full", p.step, got.ID, n)
				}
				continue
			}
			if !ok {
				t.Fatalf("arrival %d found nobody, with room left", p.step)
			}
			p.claim(got.ID)
			p.checkCapacity(t)
			if s := p.spreads()[capacity]; s > 1 {
				t.Fatalf("after %d arrivals the open counts differ by %d: %+v", p.step, s, p.agents)
			}
		}
	})
}

// TestRoundRobinProperties simulates random arrivals, resolves and presence flips.
//
// Invariants checked:
//   - Pick and Rank agree with an independent oracle (eligible IDs in order after the cursor,
//     wrapping), and no agent exceeds a finite capacity;
//   - turn taking: between two consecutive assignments to the same agent X, every other agent
//     that was eligible at each of the arrivals in between got an assignment in between.
//
// (With offline or full agents the counts themselves can drift apart; the equal-count statement
// is TestRoundRobinTakesTurns.)
func TestRoundRobinProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPool(t, rapid.SampledFrom([]int{0, 0, 1, 2, 3}))
		p.cursor = rapid.SampledFrom([]string{"", "agent-0", "agent-3", "agent-35", "zzz"}).Draw(t, "cursor")
		// For each agent: whether it stayed eligible at every arrival since X's last assignment,
		// per X. eligibleSince[x][y] is that flag.
		eligibleSince := map[string]map[string]bool{}
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for p.step = 1; p.step <= steps; p.step++ {
			switch rapid.IntRange(0, 9).Draw(t, "action") {
			case 0, 1:
				i := rapid.IntRange(0, len(p.agents)-1).Draw(t, "resolver")
				if p.agents[i].Open > 0 {
					p.agents[i].Open--
				}
			case 2:
				i := rapid.IntRange(0, len(p.agents)-1).Draw(t, "flipper")
				p.agents[i].Online = !p.agents[i].Online
			default:
				want := oracleRoundRobin(p.agents, p.cursor)
				if rank := ids(RoundRobin{}.Rank(p.agents, p.cursor)); !slices.Equal(rank, want) {
					t.Fatalf("Rank(cursor %q) = %v, oracle %v", p.cursor, rank, want)
				}
				got, ok := RoundRobin{}.Pick(p.agents, p.cursor)
				if ok != (len(want) > 0) || ok && got.ID != want[0] {
					t.Fatalf("Pick(cursor %q) = %q, %v; oracle %v", p.cursor, got.ID, ok, want)
				}
				for _, flags := range eligibleSince {
					for _, a := range p.agents {
						if !a.Eligible() {
							delete(flags, a.ID)
						}
					}
				}
				if !ok {
					continue
				}
				for x, flags := range eligibleSince {
					if x == got.ID {
						for y := range flags {
							if y != x {
								t.Fatalf("%s got a second turn before %s, eligible all along", x, y)
							}
						}
					}
					delete(flags, got.ID) // got.ID has had its turn since x's
				}
				flags := map[string]bool{}
				for _, a := range p.agents {
					flags[a.ID] = true // pruned at the next arrival if not eligible then
				}
				eligibleSince[got.ID] = flags
				p.claim(got.ID)
			}
			p.checkCapacity(t)
		}
	})
}

// TestRoundRobinTakesTurns: with all agents online and unlimited, after k*n arrivals each agent has
// exactly k conversations, and at every point the counts differ by at most one.
func TestRoundRobinTakesTurns(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 10).Draw(t, "agents")
		k := rapid.IntRange(0, 6).Draw(t, "rounds")
		p := &pool{cursor: rapid.SampledFrom([]string{"", "a03", "a031", "zz"}).Draw(t, "cursor")}
		for _, i := range rapid.Permutation(seq(n)).Draw(t, "order") {
			p.agents = append(p.agents, Candidate{ID: fmt.Sprintf("a%02d", i), Online: true})
		}
		for p.step = 1; p.step <= k*n; p.step++ {
			got, ok := RoundRobin{}.Pick(p.agents, p.cursor)
			if !ok {
				t.Fatalf("arrival %d found nobody", p.step)
			}
			p.claim(got.ID)
			if s := p.spreads()[0]; s > 1 {
				t.Fatalf("after %d arrivals the counts differ by %d: %+v", p.step, s, p.agents)
			}
		}
		for _, a := range p.agents {
			if a.Open != k {
				t.Fatalf("after %d rounds agent %s has %d conversations, want %d", k, a.ID, a.Open, k)
			}
		}
	})
}
