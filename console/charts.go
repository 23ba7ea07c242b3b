package console

import (
	"fmt"
	"time"

	"github.com/livedesk/livedesk/csat"
)

// barChart is a bar chart laid out on the server, drawn by the template as
// SVG with presentation attributes only (the CSP forbids inline styles).
type barChart struct {
	Width, Height int
	Bars          []bar
	Axis          []axisLabel
	Empty         bool
}

type bar struct {
	X, Y, W, H int
	Fill       string
	Title      string
	Label      string // under or beside the bar
	LX, LY     int
	Value      string
	VX, VY     int
}

type axisLabel struct {
	X, Y int
	Text string
}

// ratingColors go from red (1) to green (5).
var ratingColors = [5]string{"#dc2626", "#f97316", "#eab308", "#84cc16", "#16a34a"}

// distributionChart draws one horizontal bar per rating, 5 at the top.
func distributionChart(t csat.Tally) barChart {
	const w, rowH, left, maxW = 360, 30, 40, 260
	ch := barChart{Width: w, Height: 5*rowH + 4, Empty: t.Responses == 0}
	max := 1
	for _, n := range t.Counts {
		if n > max {
			max = n
		}
	}
	dist := t.Distribution()
	for i := 4; i >= 0; i-- {
		y := (4-i)*rowH + 4
		bw := t.Counts[i] * maxW / max
		ch.Bars = append(ch.Bars, bar{X: left, Y: y, W: bw, H: rowH - 10, Fill: ratingColors[i],
			Title: fmt.Sprintf("%d answers rated %d", t.Counts[i], i+1),
			Label: fmt.Sprintf("%d ★", i+1), LX: 0, LY: y + 15,
			Value: fmt.Sprintf("%d · %.0f%%", t.Counts[i], dist[i]*100), VX: left + bw + 6, VY: y + 15})
	}
	return ch
}

// dailyChart draws one column per day of the range: the column's height is
// the number of surveys sent, its colour the day's average.
func dailyChart(ps []csat.PeriodTally, from time.Time, days int, loc *time.Location) barChart {
	const h, top, bottom = 160, 16, 24
	// About 1000 units wide whatever the range, so the chart fills a
	// desktop card and scales down on a phone.
	colW := min(60, max(8, 960/days))
	ch := barChart{Width: days*colW + 40, Height: h, Empty: len(ps) == 0}
	lastLabel := -100
	byDay := map[string]csat.Tally{}
	max := 1
	for _, p := range ps {
		byDay[p.Start.In(loc).Format("2006-01-02")] = p.Tally
		if p.Sent > max {
			max = p.Sent
		}
	}
	for i := 0; i < days; i++ {
		day := from.AddDate(0, 0, i)
		key := day.Format("2006-01-02")
		t := byDay[key]
		x := i*colW + 4
		bh := t.Sent * (h - top - bottom) / max
		fill := "#cbd5e1"
		if t.Responses > 0 {
			fill = ratingColors[min(4, max0(int(t.Average()+0.5)-1))]
		}
		b := bar{X: x, Y: h - bottom - bh, W: colW - 4, H: bh, Fill: fill,
			Title: fmt.Sprintf("%s: %d sent, %d answered, average %.1f", key, t.Sent, t.Responses, t.Average())}
		if t.Sent > 0 && colW > 10 {
			b.Value, b.VX, b.VY = fmt.Sprint(t.Sent), x+2, h-bottom-bh-4
		}
		ch.Bars = append(ch.Bars, b)
		// A label every week (every day on short ranges), never two
		// labels closer than 40 units.
		if (days <= 14 || day.Weekday() == time.Monday || i == 0) && x-lastLabel >= 40 {
			ch.Axis = append(ch.Axis, axisLabel{X: x, Y: h - 6, Text: day.Format("Jan 2")})
			lastLabel = x
		}
	}
	return ch
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}
