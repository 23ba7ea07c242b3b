// Package hours models a support team's business hours: weekly ranges in an IANA time zone,
// dated exceptions (holidays, special hours) and an out-of-office message, with fast queries on
// whether the team is open and when that changes. It does no I/O beyond loading the time zone, and
// every query takes the time as an argument.
//
// # Configuration
//
// A BusinessHours is plain data, meant to be written by a person, stored as JSON and edited:
//
//	{
//	  "enabled": true,
//	  "timezone": "Europe/Paris",
//	  "week": {
//	    "monday":   ["09:00-12:30", "14:00-18:00"],
//	    "friday":   ["09:00-12:30", "22:00-02:00"],
//	    "saturday": ["10:00-16:00"]
//	  },
//	  "exceptions": [
//	    {"name": "Christmas", "date": "2026-12-25", "yearly": true, "closed": true},
//	    {"name": "Inventory", "date": "2026-06-12", "ranges": ["10:00-14:00"]}
//	  ],
//	  "out_of_office_message": "We are closed. We are back {{next_open}}."
//	}
//
// Each weekday has any number of ranges written "HH:MM-HH:MM"; a missing day is closed. Ranges
// are half-open at minute precision: "09:00-18:00" is open at 17:59 and closed at 18:00, and
// "00:00-24:00" is open at 23:59:59. A range that ends at or before its start, like
// "22:00-02:00", is overnight: it belongs to the day it starts on, so Friday 22:00-02:00 is open on
// Saturday at 01:00.
//
// An exception gives one date (or, with "yearly", that month and day every year) its own ranges,
// or closes it. It replaces the week's ranges of that date only: the part after midnight of an
// overnight range of the day before still belongs to the day before's schedule and stays open.
// So with Friday 22:00-02:00 and Saturday closed for a holiday, the desk is open until Saturday
// 02:00; to close that night too, give Friday an exception. A one-off exception wins over a
// yearly one on the same day.
//
// # Validation
//
// Validate reports every problem at once, each a *FieldError naming the field as a JSON path
// ("week.monday[1]", "exceptions[0].date") with a Kind sentinel (ErrTimeZone, ErrRange,
// ErrEmptyRange, ErrOverlap, ErrDate, ErrDuplicateDate, ErrException): unknown zones, times like
// "25:00", bad formats, empty ranges, ranges of one day that overlap, a week overnight range whose
// part after midnight overlaps the next day's ranges, dates that do not exist ("2026-02-30") and
// two exceptions on one day. Ranges that only touch are fine and make one opening. An exception
// day's ranges are not checked against the overnight range of the day before: where they overlap,
// the schedule is simply open during either.
//
// # Queries
//
// Compile validates once and loads the zone once; the Schedule it returns answers IsOpen (no
// allocation), NextOpen, NextClose and ClosedPeriod, and writes the out-of-office text. A
// Schedule compiled from a disabled BusinessHours is always open, and so is a nil *Schedule.
//
// An instant t is evaluated on the wall clock of the schedule's zone: t.In(loc) gives a local
// date and a minute of the day, and the schedule of that date says whether it is open. Across
// daylight-saving changes this means: a range starting in the spring-forward gap opens at the
// first instant after the gap; during the repeated autumn hour both instants of a wall-clock time
// get the same answer, so a range inside that hour opens twice; NextOpen and NextClose return the
// exact instants where IsOpen changes, including a transition itself.
//
// Searches look at most SearchHorizon (two years) ahead, or back for the start of a closed
// period, and report "never" beyond it.
//
// # Out-of-office message
//
// Schedule.OutOfOfficeText replaces {{next_open}} with the next opening as
// "2026-11-30 09:00 (Europe/Paris)": digits and the zone's IANA name, no words, so the message can
// be in any language. Period.Key names a closed period so that the desk can send the message once
// per closed period.
//
// # Time zones
//
// Zones are loaded with time.LoadLocation. A program running where the system has no zone
// database (a scratch container) should import _ "time/tzdata" in its main package.
package hours
