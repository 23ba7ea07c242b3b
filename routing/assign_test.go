package routing

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func ids(cands []Candidate) []string {
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.ID
	}
	return out
}

func TestCandidateEligible(t *testing.T) {
	tests := []struct {
		name string
		c    Candidate
		want bool
	}{
		{"online below capacity", Candidate{Online: true, Open: 1, Capacity: 2}, true},
		{"online at capacity", Candidate{Online: true, Open: 2, Capacity: 2}, false},
		{"online over capacity", Candidate{Online: true, Open: 3, Capacity: 2}, false},
		{"online unlimited", Candidate{Online: true, Open: 1000}, true},
		{"offline", Candidate{Open: 0, Capacity: 2}, false},
		{"negative capacity takes none", Candidate{Online: true, Capacity: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Eligible(); got != tt.want {
				t.Errorf("Eligible = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLeastLoaded(t *testing.T) {
	tests := []struct {
		name  string
		cands []Candidate
		want  []string // Rank; Pick is the first, or none
	}{
		{"no candidates", nil, nil},
		{"nobody eligible", []Candidate{{ID: "a", Online: false}, {ID: "b", Online: true, Open: 2, Capacity: 2}}, nil},
		{"fewest open conversations first", []Candidate{
			{ID: "a", Online: true, Open: 3, Capacity: 5},
			{ID: "b", Online: true, Open: 1, Capacity: 5},
			{ID: "c", Online: true, Open: 2, Capacity: 5},
		}, []string{"b", "c", "a"}},
		{"load is relative to capacity", []Candidate{
			{ID: "a", Online: true, Open: 2, Capacity: 4},  // 0.5
			{ID: "b", Online: true, Open: 3, Capacity: 10}, // 0.3
			{ID: "c", Online: true, Open: 1, Capacity: 2},  // 0.5
		}, []string{"b", "a", "c"}},
		{"offline and full agents are skipped", []Candidate{
			{ID: "a", Online: false, Open: 0, Capacity: 5},
			{ID: "b", Online: true, Open: 5, Capacity: 5},
			{ID: "c", Online: true, Open: 4, Capacity: 5},
		}, []string{"c"}},
		{"equal load: least recently assigned first, never assigned before all", []Candidate{
			{ID: "a", Online: true, Open: 1, Capacity: 2, LastAssigned: at(5)},
			{ID: "b", Online: true, Open: 1, Capacity: 2, LastAssigned: at(1)},
			{ID: "c", Online: true, Open: 1, Capacity: 2},
		}, []string{"c", "b", "a"}},
		{"equal load and time: smallest ID first", []Candidate{
			{ID: "b", Online: true, Open: 1, Capacity: 2, LastAssigned: at(1)},
			{ID: "a", Online: true, Open: 1, Capacity: 2, LastAssigned: at(1)},
		}, []string{"a", "b"}},
		{"unlimited counts as the largest finite capacity", []Candidate{
			{ID: "u", Online: true, Open: 4},               // 4/10
			{ID: "a", Online: true, Open: 3, Capacity: 5},  // 3/5
			{ID: "b", Online: true, Open: 3, Capacity: 10}, // 3/10
		}, []string{"b", "u", "a"}},
		{"a full agent's capacity still sets the reference", []Candidate{
			{ID: "u", Online: true, Open: 3},              // 3/10, not 3/5
			{ID: "a", Online: true, Open: 2, Capacity: 5}, // 2/5
			{ID: "f", Online: false, Open: 0, Capacity: 10},
		}, []string{"u", "a"}},
		{"all unlimited: open counts compare", []Candidate{
			{ID: "a", Online: true, Open: 7},
			{ID: "b", Online: true, Open: 2},
			{ID: "c", Online: true, Open: 9},
		}, []string{"b", "a", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.cands)
			rank := LeastLoaded{}.Rank(tt.cands, "ignored")
			if got := ids(rank); !slices.Equal(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				t.Errorf("Rank = %v, want %v", got, tt.want)
			}
			got, ok := LeastLoaded{}.Pick(tt.cands, "ignored")
			if ok != (len(tt.want) > 0) || ok && got.ID != tt.want[0] {
				t.Errorf("Pick = %q, %v; want the first of %v", got.ID, ok, tt.want)
			}
			if !slices.Equal(tt.cands, before) {
				t.Errorf("the candidates were modified")
			}
		})
	}
}

func TestRoundRobin(t *testing.T) {
	abcd := func(mod func(c []Candidate)) []Candidate {
		c := []Candidate{
			{ID: "c", Online: true, Open: 0}, {ID: "a", Online: true, Open: 9},
			{ID: "d", Online: true, Open: 1, Capacity: 3}, {ID: "b", Online: true, Open: 0},
		}
		if mod != nil {
			mod(c)
		}
		return c
	}
	tests := []struct {
		name   string
		cands  []Candidate
		cursor string
		want   []string
	}{
		{"no cursor starts at the smallest ID", abcd(nil), "", []string{"a", "b", "c", "d"}},
		{"the agent after the cursor, by ID", abcd(nil), "b", []string{"c", "d", "a", "b"}},
		{"wraps after the last ID", abcd(nil), "d", []string{"a", "b", "c", "d"}},
		{"load is ignored", abcd(nil), "", []string{"a", "b", "c", "d"}},
		{"a removed cursor agent: the first ID after it", abcd(nil), "bb", []string{"c", "d", "a", "b"}},
		{"a cursor after every ID wraps", abcd(nil), "zzz", []string{"a", "b", "c", "d"}},
		{"offline agents are skipped", abcd(func(c []Candidate) { c[0].Online = false }), "b", []string{"d", "a", "b"}},
		{"full agents are skipped", abcd(func(c []Candidate) { c[2].Open = 3 }), "c", []string{"a", "b", "c"}},
		{"the cursor agent alone gets it again", []Candidate{{ID: "a", Online: true}}, "a", []string{"a"}},
		{"nobody eligible", abcd(func(c []Candidate) {
			for i := range c {
				c[i].Online = false
			}
		}), "a", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rank := RoundRobin{}.Rank(tt.cands, tt.cursor)
			if got := ids(rank); !slices.Equal(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				t.Errorf("Rank = %v, want %v", got, tt.want)
			}
			got, ok := RoundRobin{}.Pick(tt.cands, tt.cursor)
			if ok != (len(tt.want) > 0) || ok && got.ID != tt.want[0] {
				t.Errorf("Pick = %q, %v; want the first of %v", got.ID, ok, tt.want)
			}
		})
	}
}

func TestPickDoesNotAllocate(t *testing.T) {
	cands := benchCandidates(100)
	for _, a := range []Assigner{LeastLoaded{}, RoundRobin{}} {
		if allocs := testing.AllocsPerRun(50, func() { a.Pick(cands, "agent-0042") }); allocs != 0 {
			t.Errorf("%T.Pick allocated %v times, want 0", a, allocs)
		}
	}
}

func TestParseStrategy(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Assigner
		wantErr string
	}{
		{"least loaded", "least_loaded", LeastLoaded{}, ""},
		{"round robin", "round_robin", RoundRobin{}, ""},
		{"empty is the default", "", LeastLoaded{}, ""},
		{"unknown", "random", nil, `routing: unknown assignment strategy "random"; use "least_loaded" or "round_robin"`},
		{"names are exact", "Round_Robin", nil, `routing: unknown assignment strategy "Round_Robin"; use "least_loaded" or "round_robin"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStrategy(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, ErrUnknownStrategy) {
					t.Errorf("ParseStrategy(%q) error = %v, want %q matching ErrUnknownStrategy", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseStrategy(%q) = %T, %v; want %T", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestStrategyJSON(t *testing.T) {
	type settings struct {
		Strategy Strategy `json:"strategy"`
	}
	for _, s := range []Strategy{StrategyLeastLoaded, StrategyRoundRobin, ""} {
		out, err := json.Marshal(settings{s})
		if err != nil {
			t.Fatalf("Marshal %q: %v", s, err)
		}
		var back settings
		if err := json.Unmarshal(out, &back); err != nil || back.Strategy != s {
			t.Errorf("round trip of %q via %s = %q, %v", s, out, back.Strategy, err)
		}
	}
	var bad settings
	if err := json.Unmarshal([]byte(`{"strategy":"fastest"}`), &bad); !errors.Is(err, ErrUnknownStrategy) {
		t.Errorf("Unmarshal of an unknown strategy: error %v, want ErrUnknownStrategy", err)
	}
	if _, err := json.Marshal(settings{"fastest"}); !errors.Is(err, ErrUnknownStrategy) {
		t.Errorf("Marshal of an unknown strategy: error %v, want ErrUnknownStrategy", err)
	}
}
