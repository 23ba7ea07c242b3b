package hours_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/hours"
)

// A team in Paris with a lunch break, a late Friday shift and Christmas off every year.
func Example_businessHours() {
	var b hours.BusinessHours
	err := json.Unmarshal([]byte(`{
	  "enabled": true,
	  "timezone": "Europe/Paris",
	  "week": {
	    "monday":   ["09:00-12:30", "14:00-18:00"],
	    "friday":   ["09:00-12:30", "22:00-02:00"]
	  },
	  "exceptions": [{"name": "Christmas", "date": "2026-12-25", "yearly": true, "closed": true}]
	}`), &b)
	if err != nil {
		panic(err)
	}
	s, err := b.Compile()
	if err != nil {
		panic(err)
	}
	paris := s.Location()

	fmt.Println(s.IsOpen(time.Date(2026, 11, 30, 12, 29, 0, 0, paris))) // Monday, before lunch
	fmt.Println(s.IsOpen(time.Date(2026, 11, 30, 12, 30, 0, 0, paris))) // lunch
	fmt.Println(s.IsOpen(time.Date(2026, 11, 28, 1, 0, 0, 0, paris)))   // Saturday 01:00, Friday's late shift

	next, _ := s.NextOpen(time.Date(2026, 11, 30, 12, 30, 0, 0, paris))
	fmt.Println("back at", next.Format("Mon 15:04"))
	closes, _ := s.NextClose(time.Date(2026, 11, 27, 23, 0, 0, 0, paris))
	fmt.Println("Friday night shift ends", closes.Format("Mon 15:04"))
	// Christmas 2026 is a Friday: the exception closes the whole day, late shift included.
	next, _ = s.NextOpen(time.Date(2026, 12, 25, 8, 0, 0, 0, paris))
	fmt.Println("after Christmas", next.Format("Mon 2006-01-02 15:04"))
	// Output:
	// true
	// false
	// true
	// back at Mon 14:00
	// Friday night shift ends Sat 02:00
	// after Christmas Mon 2026-12-28 09:00
}

// The out-of-office message says when the team is back, in the schedule's zone.
func ExampleSchedule_OutOfOfficeText() {
	b := hours.BusinessHours{
		Enabled:            true,
		TimeZone:           "America/New_York",
		Week:               hours.Week{time.Monday: {"09:00-17:00"}, time.Tuesday: {"09:00-17:00"}},
		OutOfOfficeMessage: "Thanks for your message! We are closed and back {{next_open}}.",
	}
	s, err := b.Compile()
	if err != nil {
		panic(err)
	}
	fmt.Println(s.OutOfOfficeText(time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)))
	// Output:
	// Thanks for your message! We are closed and back 2026-11-30 09:00 (America/New_York).
}

// ClosedPeriod gives the period a message arrives in, and its key makes the out-of-office message
// go out once per period.
func ExampleSchedule_ClosedPeriod() {
	b := hours.BusinessHours{Enabled: true, TimeZone: "Europe/Paris", Week: hours.Week{
		time.Monday: {"09:00-18:00"}, time.Tuesday: {"09:00-18:00"}, time.Wednesday: {"09:00-18:00"},
		time.Thursday: {"09:00-18:00"}, time.Friday: {"09:00-18:00"},
	}}
	s, err := b.Compile()
	if err != nil {
		panic(err)
	}
	paris := s.Location()
	for _, at := range []time.Time{
		time.Date(2026, 11, 27, 19, 0, 0, 0, paris), // Friday evening
		time.Date(2026, 11, 29, 11, 0, 0, 0, paris), // Sunday
		time.Date(2026, 11, 30, 10, 0, 0, 0, paris), // Monday, open
	} {
		p, closed := s.ClosedPeriod(at)
		if !closed {
			fmt.Println(at.Format("Mon 15:04"), "open")
			continue
		}
		fmt.Println(at.Format("Mon 15:04"), "closed", p.Start.Format("Mon 15:04"), "to", p.End.Format("Mon 15:04"),
			"ooo:conv42:"+p.Key())
	}
	// Output:
	// Fri 19:00 closed Fri 18:00 to Mon 09:00 ooo:conv42:until-20261130T080000Z
	// Sun 11:00 closed Fri 18:00 to Mon 09:00 ooo:conv42:until-20261130T080000Z
	// Mon 10:00 open
}

// Validate lists every problem with the field it is in.
func ExampleBusinessHours_Validate() {
	b := hours.BusinessHours{
		TimeZone: "Europe/Pariss",
		Week: hours.Week{
			time.Monday:   {"09:00-12:00", "11:30-18:00"},
			time.Friday:   {"22:00-02:00"},
			time.Saturday: {"01:00-25:00"},
		},
		Exceptions: []hours.Exception{{Name: "Leap day", Date: "2026-02-29", Closed: true}},
	}
	fmt.Println(b.Validate())
	// Output:
	// hours: timezone: unknown time zone "Europe/Pariss"; use an IANA name such as "Europe/Paris" (empty means UTC)
	// hours: week.monday[1]: "11:30-18:00" overlaps "09:00-12:00" (week.monday[0]); merge them or move one
	// hours: week.saturday[0]: "01:00-25:00": 25:00 is not a time of day; hours go from 00 to 23 (24:00 only as an end)
	// hours: exceptions[0].date: "2026-02-29" does not exist: February 2026 has 28 days
}

// DST: in Paris the clocks go back on 2026-10-25 at 03:00, so 02:00-02:30 happens twice and a
// range over it opens twice.
func ExampleSchedule_NextOpen_dst() {
	b := hours.BusinessHours{Enabled: true, TimeZone: "Europe/Paris",
		Week: hours.Week{time.Sunday: {"02:00-02:30"}}}
	s, err := b.Compile()
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)
	for range 2 {
		open, _ := s.NextOpen(at)
		closed, _ := s.NextClose(open)
		fmt.Println(open.Format("15:04 MST"), "-", closed.Format("15:04 MST"))
		at = closed
	}
	// Output:
	// 02:00 CEST - 02:30 CEST
	// 02:00 CET - 02:30 CET
}
