package csat

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const eps = 1e-12

// handTally is the brief's worked example: 10 surveys sent, answered
// 5, 5, 4, 3, 1.
func handTally() Tally {
	var t Tally
	for _, r := range []int{5, 5, 4, 3, 1, 0, 0, 0, 0, 0} {
		t.AddSurvey(r)
	}
	return t
}

func TestTallyFigures(t *testing.T) {
	tl := handTally()
	require.Equal(t, Tally{Sent: 10, Responses: 5, Counts: [5]int{1, 0, 1, 1, 2}}, tl)
	require.InDelta(t, 3.6, tl.Average(), eps, "(5+5+4+3+1)/5")
	require.InDelta(t, 0.5, tl.ResponseRate(), eps, "5/10")
	require.InDelta(t, 0.6, tl.CSAT(), eps, "three 4-5 among 5 answers")
	d := tl.Distribution()
	for i, want := range []float64{0.2, 0, 0.2, 0.2, 0.4} {
		require.InDelta(t, want, d[i], eps, "share of %d", i+1)
	}
}

func TestTallyRules(t *testing.T) {
	t.Run("empty tally is all zeros, not NaN", func(t *testing.T) {
		var z Tally
		require.Zero(t, z.Average())
		require.Zero(t, z.ResponseRate())
		require.Zero(t, z.CSAT())
		require.Equal(t, [5]float64{}, z.Distribution())
	})
	t.Run("sent without answers", func(t *testing.T) {
		var z Tally
		z.AddSurvey(0)
		z.AddSurvey(0)
		require.Equal(t, Tally{Sent: 2}, z)
		require.Zero(t, z.Average())
		require.Zero(t, z.CSAT())
	})
	t.Run("off-scale ratings count as sent, not answered", func(t *testing.T) {
		var z Tally
		for _, r := range []int{-1, 6, 99} {
			z.AddSurvey(r)
		}
		require.Equal(t, Tally{Sent: 3}, z)
	})
	t.Run("Add reads the entry's rating", func(t *testing.T) {
		var z Tally
		z.Add(Entry{Rating: 4})
		z.Add(Entry{})
		require.Equal(t, Tally{Sent: 2, Responses: 1, Counts: [5]int{0, 0, 0, 1, 0}}, z)
	})
	t.Run("all fives", func(t *testing.T) {
		z := Tally{Sent: 4, Responses: 4, Counts: [5]int{0, 0, 0, 0, 4}}
		require.InDelta(t, 5.0, z.Average(), eps)
		require.InDelta(t, 1.0, z.CSAT(), eps)
		require.InDelta(t, 1.0, z.ResponseRate(), eps)
	})
	t.Run("merge equals tallying everything at once", func(t *testing.T) {
		var a, b Tally
		for _, r := range []int{5, 5, 4} {
			a.AddSurvey(r)
		}
		for _, r := range []int{3, 1, 0, 0, 0, 0, 0} {
			b.AddSurvey(r)
		}
		a.Merge(b)
		require.Equal(t, handTally(), a)
		var z Tally
		z.Merge(Tally{})
		require.Equal(t, Tally{}, z, "merging an empty tally changes nothing")
	})
}
