package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
)

// dayRow is one weekday of the business-hours form: its ranges written
// "09:00-12:30, 14:00-18:00" (several a day; "22:00-02:00" runs overnight).
type dayRow struct {
	Key, Label, Ranges string
}

var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func dayKey(d time.Weekday) string { return strings.ToLower(d.String()) }

func dayRows(b hours.BusinessHours) []dayRow {
	rows := make([]dayRow, 0, 7)
	for _, d := range weekOrder {
		rs := make([]string, len(b.Week[d]))
		for i, r := range b.Week[d] {
			rs[i] = string(r)
		}
		rows = append(rows, dayRow{Key: dayKey(d), Label: d.String(), Ranges: strings.Join(rs, ", ")})
	}
	return rows
}

// holidayRow is one dated exception: closed when Ranges is empty.
type holidayRow struct {
	N                  int
	Date, Name, Ranges string
	Yearly             bool
}

// blankHolidays is how many empty rows the form offers for new dates.
const blankHolidays = 2

func holidayRows(b hours.BusinessHours) []holidayRow {
	var rows []holidayRow
	for i, e := range b.Exceptions {
		rs := make([]string, len(e.Ranges))
		for j, r := range e.Ranges {
			rs[j] = string(r)
		}
		rows = append(rows, holidayRow{N: i, Date: e.Date, Name: e.Name, Ranges: strings.Join(rs, ", "), Yearly: e.Yearly})
	}
	for i := 0; i < blankHolidays; i++ {
		rows = append(rows, holidayRow{N: len(rows)})
	}
	return rows
}

func splitRanges(s string) []hours.Range {
	var out []hours.Range
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		out = append(out, hours.Range(f))
	}
	return out
}

// applyHours reads the business-hours form; hours.Validate (through
// channel.Validate) checks it and names the day or date at fault.
func applyHours(r *http.Request, ch *channel.Channel) (string, int, error) {
	b := &ch.Settings.BusinessHours
	b.Enabled = r.PostFormValue("hours_enabled") == "on"
	b.TimeZone = strings.TrimSpace(r.PostFormValue("timezone"))
	b.OutOfOfficeMessage = strings.TrimSpace(r.PostFormValue("ooo_message"))
	b.Week = hours.Week{}
	for _, d := range weekOrder {
		b.Week[d] = splitRanges(r.PostFormValue("day_" + dayKey(d)))
	}
	n, _ := strconv.Atoi(r.PostFormValue("holiday_rows"))
	b.Exceptions = nil
	for i := 0; i < n && i < 500; i++ {
		date := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("hol_date_%d", i)))
		if date == "" {
			continue
		}
		e := hours.Exception{Date: date, Name: strings.TrimSpace(r.PostFormValue(fmt.Sprintf("hol_name_%d", i))),
			Yearly: r.PostFormValue(fmt.Sprintf("hol_yearly_%d", i)) == "on",
			Ranges: splitRanges(r.PostFormValue(fmt.Sprintf("hol_ranges_%d", i)))}
		e.Closed = len(e.Ranges) == 0
		b.Exceptions = append(b.Exceptions, e)
	}
	return "Business hours saved.", -1, nil
}

// timeZones are offered in the time zone picker; any IANA name may be typed.
var timeZones = []string{
	"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich", "Europe/Stockholm", "Europe/Warsaw",
	"Europe/Athens", "Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow", "Africa/Casablanca", "Africa/Lagos",
	"Africa/Cairo", "Africa/Johannesburg", "Africa/Nairobi", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata",
	"Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore", "Asia/Hong_Kong", "Asia/Shanghai",
	"Asia/Manila", "Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Sydney", "Pacific/Auckland",
	"America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Santiago", "America/Bogota", "America/Lima",
	"America/Mexico_City", "America/New_York", "America/Toronto", "America/Chicago", "America/Denver",
	"America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
}
