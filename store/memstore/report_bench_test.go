package memstore_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

// BenchmarkCSATReport1M: the desk's CSAT report over 1,000,000 answered
// and unanswered surveys in memstore (20 agents, 3 channels, 90 days), per
// day in Paris. Budget: 200 ms.
func BenchmarkCSATReport1M(b *testing.B) {
	s := memstore.New()
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	svs := make([]store.Survey, 1_000_000)
	for i := range svs {
		svs[i] = store.Survey{
			ID: fmt.Sprint("s", i), ChannelID: fmt.Sprint("ch", rng.IntN(3)), AgentID: fmt.Sprint("a", rng.IntN(20)),
			SentAt: start.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour)))), Rating: rng.IntN(6),
		}
	}
	s.PutSurveys(svs)
	d, err := livedesk.New(livedesk.Options{PublicURL: "https://desk.example.com/livedesk", Store: s})
	if err != nil {
		b.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := d.CSATReport(b.Context(), livedesk.ReportRequest{Period: csat.PeriodDay, Location: paris})
		if err != nil || rep.Total.Sent != len(svs) {
			b.Fatalf("report: %v, %d sent", err, rep.Total.Sent)
		}
	}
}
