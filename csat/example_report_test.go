package csat_test

import (
	"fmt"
	"time"

	"github.com/livedesk/livedesk/csat"
)

// The figures of a tally: 10 surveys sent, answered 5, 5, 4, 3 and 1.
func ExampleTally() {
	var t csat.Tally
	for _, rating := range []int{5, 5, 4, 3, 1, 0, 0, 0, 0, 0} {
		t.AddSurvey(rating)
	}
	fmt.Printf("average %.1f, response rate %.0f%%, CSAT %.0f%%, counts %v\n",
		t.Average(), 100*t.ResponseRate(), 100*t.CSAT(), t.Counts)
	// Output:
	// average 3.6, response rate 50%, CSAT 60%, counts [1 0 1 1 2]
}

// A weekly report for one channel, in the team's time zone, fed entries as a
// store would stream them.
func ExampleNewReportBuilder() {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := csat.NewReportBuilder(csat.Filter{ChannelID: "support-fr"}, csat.PeriodWeek, paris)
	if err != nil {
		fmt.Println(err)
		return
	}
	day := func(d int) time.Time { return time.Date(2025, 6, d, 15, 0, 0, 0, paris) }
	for _, e := range []csat.Entry{
		{ChannelID: "support-fr", AgentID: "alice", SentAt: day(2), Rating: 5},
		{ChannelID: "support-fr", AgentID: "alice", SentAt: day(4), Rating: 4},
		{ChannelID: "support-fr", AgentID: "bob", SentAt: day(5)},
		{ChannelID: "support-fr", AgentID: "bob", SentAt: day(10), Rating: 2},
		{ChannelID: "sales-en", AgentID: "bob", SentAt: day(10), Rating: 1}, // other channel
	} {
		b.Add(e)
	}
	r := b.Report()
	fmt.Printf("total: %d sent, average %.2f, CSAT %.0f%%\n", r.Total.Sent, r.Total.Average(), 100*r.Total.CSAT())
	fmt.Printf("alice: average %.1f; bob: average %.1f, response rate %.0f%%\n",
		r.ByAgent["alice"].Average(), r.ByAgent["bob"].Average(), 100*r.ByAgent["bob"].ResponseRate())
	for _, p := range r.ByPeriod {
		fmt.Printf("week of %s: %d sent, %d answered\n", p.Start.Format("Mon 2 Jan"), p.Sent, p.Responses)
	}
	// Output:
	// total: 4 sent, average 3.67, CSAT 67%
	// alice: average 4.5; bob: average 2.0, response rate 50%
	// week of Mon 2 Jun: 3 sent, 2 answered
	// week of Mon 9 Jun: 1 sent, 1 answered
}
