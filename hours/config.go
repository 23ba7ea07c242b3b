package hours

import "time"

// BusinessHours is the business-hours configuration a user writes: weekly ranges in an IANA time
// zone, dated exceptions, and the out-of-office message. It is plain data that reads well as JSON:
//
//	{
//	  "enabled": true,
//	  "timezone": "Europe/Paris",
//	  "week": {"monday": ["09:00-12:30", "14:00-18:00"], "friday": ["09:00-17:00", "22:00-02:00"]},
//	  "exceptions": [{"name": "Christmas", "date": "2026-12-25", "yearly": true, "closed": true}],
//	  "out_of_office_message": "We are closed. We are back {{next_open}}."
//	}
//
// Check it with Validate, and turn it into a Schedule for queries with Compile. The zero value is
// valid and disabled (always open).
type BusinessHours struct {
	// Enabled turns business hours on. A disabled schedule is always open, and the desk sends
	// no out-of-office message.
	Enabled bool `json:"enabled"`
	// TimeZone is the IANA name of the zone the ranges are written in, e.g. "Europe/Paris".
	// Empty means UTC. "Local" is refused: it would make the hours depend on the server.
	TimeZone string `json:"timezone"`
	// Week holds the ranges of each weekday; a day without ranges is closed.
	Week Week `json:"week"`
	// Exceptions replace the week's ranges on given dates (holidays, special hours).
	Exceptions []Exception `json:"exceptions,omitempty"`
	// OutOfOfficeMessage is sent to customers who write while closed; see
	// Schedule.OutOfOfficeText for the {{next_open}} placeholder.
	OutOfOfficeMessage string `json:"out_of_office_message,omitempty"`
}

// Week holds the ranges of each weekday, indexed by time.Weekday:
//
//	hours.Week{time.Monday: {"09:00-12:30", "14:00-18:00"}, time.Saturday: {"10:00-13:00"}}
//
// A day may have any number of ranges, in any order; they must not overlap, and neither may an
// overnight range's part after midnight overlap the next day's ranges (touching is fine: "Friday
// 22:00-24:00" then "Saturday 00:00-02:00" is one opening). A day with no ranges is closed.
//
// In JSON a Week is an object keyed by lower-case English day names, Monday first, closed days
// left out: {"monday": ["09:00-18:00"], "tuesday": ["09:00-18:00"]}. Day names are matched
// without regard to case when decoding, and an unknown name is an error (a misspelt day would
// otherwise silently close the desk that day).
type Week [7][]Range

// Exception gives one date its own ranges (special hours) or closes it (a holiday). It replaces
// the week's ranges for that date; an overnight range of the day before still spills into it (see
// the package documentation).
type Exception struct {
	// Name is a label for people ("Christmas"); it plays no part in the schedule.
	Name string `json:"name,omitempty"`
	// Date is the day, written "YYYY-MM-DD" in the schedule's time zone.
	Date string `json:"date"`
	// Yearly makes the exception recur every year on Date's month and day, in every year,
	// before and after Date's year (the year only documents when it was written). A yearly
	// "02-29" applies in leap years only. A one-off exception on the same day wins over a
	// yearly one.
	Yearly bool `json:"yearly,omitempty"`
	// Closed closes the whole day. Exactly one of Closed and Ranges must be set.
	Closed bool `json:"closed,omitempty"`
	// Ranges are the day's special hours, with the same rules as a Week day.
	Ranges []Range `json:"ranges,omitempty"`
}

// dayName is the JSON key of a weekday in a Week.
func dayName(d time.Weekday) string {
	return [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}[d]
}

// jsonDayOrder is the order days are written in: Monday first, as people list a working week.
func jsonDayOrder() [7]time.Weekday {
	return [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday,
		time.Friday, time.Saturday, time.Sunday}
}
