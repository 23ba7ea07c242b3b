package console

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/store"
)

func (c *Console) reportRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /report", c.admin(c.reportPage))
	m.HandleFunc("GET /report.csv", c.admin(c.reportCSV))
}

// reportQuery is the report's filter form.
type reportQuery struct {
	ChannelID, AgentID string
	Days               int
	QS                 string
}

func (c *Console) reportQuery(r *http.Request) reportQuery {
	v := r.URL.Query()
	q := reportQuery{ChannelID: v.Get("channel"), AgentID: v.Get("agent"), Days: 30}
	if n, err := strconv.Atoi(v.Get("days")); err == nil && n > 0 && n <= 366 {
		q.Days = n
	}
	q.QS = fmt.Sprintf("channel=%s&agent=%s&days=%d", urlQueryEscape(q.ChannelID), urlQueryEscape(q.AgentID), q.Days)
	return q
}

func (c *Console) report(r *http.Request, q reportQuery) (csat.Report, time.Time, error) {
	loc := c.opts.Location
	now := c.opts.Now().In(loc)
	from := csat.PeriodDay.Start(now, loc).AddDate(0, 0, -(q.Days - 1))
	rep, err := c.opts.Desk.CSATReport(r.Context(), livedesk.ReportRequest{
		Filter: csat.Filter{ChannelID: q.ChannelID, AgentID: q.AgentID, From: from},
		Period: csat.PeriodDay, Location: loc})
	return rep, from, err
}

// reportData is the CSAT report page.
type reportData struct {
	Query    reportQuery
	Report   csat.Report
	Channels []channel.Channel
	Agents   []store.Agent
	ByAgent  []agentTally
	Dist     barChart
	Daily    barChart
}

type agentTally struct {
	ID, Name string
	csat.Tally
	Bar int // CSAT as a width out of 100
}

func (c *Console) reportPage(w http.ResponseWriter, r *http.Request) {
	q := c.reportQuery(r)
	rep, from, err := c.report(r, q)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := reportData{Query: q, Report: rep}
	if d.Channels, err = c.opts.Desk.Channels(r.Context()); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Agents, err = c.opts.Desk.Agents(r.Context()); err != nil {
		c.fail(w, r, err)
		return
	}
	names := map[string]string{}
	for _, a := range d.Agents {
		names[a.ID] = a.Name
	}
	for id, t := range rep.ByAgent {
		n := names[id]
		if n == "" {
			n = id
		}
		d.ByAgent = append(d.ByAgent, agentTally{ID: id, Name: n, Tally: t, Bar: int(t.CSAT()*100 + 0.5)})
	}
	slices.SortFunc(d.ByAgent, func(a, b agentTally) int { return b.Sent - a.Sent })
	d.Dist = distributionChart(rep.Total)
	d.Daily = dailyChart(rep.ByPeriod, from, q.Days, c.opts.Location)
	c.render(w, r, "report", http.StatusOK, page{Title: "CSAT report", Nav: "report", Data: d})
}

// reportCSV downloads the report: one row per day, then one per agent,
// then the total.
func (c *Console) reportCSV(w http.ResponseWriter, r *http.Request) {
	q := c.reportQuery(r)
	rep, _, err := c.report(r, q)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="csat-report.csv"`)
	cw := csv.NewWriter(w)
	row := func(kind, key string, t csat.Tally) {
		rec := []string{kind, key, strconv.Itoa(t.Sent), strconv.Itoa(t.Responses),
			strconv.FormatFloat(t.ResponseRate(), 'f', 3, 64), strconv.FormatFloat(t.Average(), 'f', 2, 64),
			strconv.FormatFloat(t.CSAT(), 'f', 3, 64)}
		for _, n := range t.Counts {
			rec = append(rec, strconv.Itoa(n))
		}
		_ = cw.Write(rec)
	}
	_ = cw.Write([]string{"group", "key", "sent", "responses", "response_rate", "average", "csat", "r1", "r2", "r3", "r4", "r5"})
	for _, p := range rep.ByPeriod {
		row("day", p.Start.In(c.opts.Location).Format("2006-01-02"), p.Tally)
	}
	ids := make([]string, 0, len(rep.ByAgent))
	for id := range rep.ByAgent {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		row("agent", id, rep.ByAgent[id])
	}
	row("total", "", rep.Total)
	cw.Flush()
}
