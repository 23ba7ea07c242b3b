package hours

import "errors"

// The kinds of problem Validate, Compile and UnmarshalJSON report. Every problem is a *FieldError
// whose Kind is one of these, so callers can branch with errors.Is and point at the field with
// errors.As.
var (
	// ErrTimeZone: the time zone is not a known IANA name, or is "Local".
	ErrTimeZone = errors.New("hours: bad time zone")
	// ErrRange: a range is not written "HH:MM-HH:MM" or names a time of day that does not exist.
	ErrRange = errors.New("hours: bad range")
	// ErrEmptyRange: a range starts and ends at the same minute.
	ErrEmptyRange = errors.New("hours: empty range")
	// ErrOverlap: two ranges of one day overlap, directly or through an overnight range's
	// spill-over into the next day.
	ErrOverlap = errors.New("hours: overlapping ranges")
	// ErrDate: an exception's date is missing, not "YYYY-MM-DD", or does not exist.
	ErrDate = errors.New("hours: bad date")
	// ErrDuplicateDate: two exceptions fall on the same day (same date, or same month and day for
	// yearly exceptions).
	ErrDuplicateDate = errors.New("hours: duplicate exception date")
	// ErrException: an exception is neither closed nor has ranges, or is both.
	ErrException = errors.New("hours: bad exception")
	// ErrDecode: the JSON has the wrong shape (a wrong type or an unknown day name).
	ErrDecode = errors.New("hours: bad JSON")
)

// FieldError is one problem in a BusinessHours value: where it is, what kind it is and what to do
// about it. Validate joins several of them with errors.Join.
type FieldError struct {
	// Field is where the problem is, as a JSON path: "timezone", "week.monday[1]",
	// "exceptions[2].date". Empty when the problem is the whole value.
	Field string
	// Kind is one of the Err* sentinels.
	Kind error
	// Msg says what is wrong and how to fix it.
	Msg string
}

// Error returns "hours: <field>: <msg>".
func (e *FieldError) Error() string {
	if e.Field == "" {
		return "hours: " + e.Msg
	}
	return "hours: " + e.Field + ": " + e.Msg
}

// Unwrap returns the Kind, so errors.Is(err, hours.ErrOverlap) works.
func (e *FieldError) Unwrap() error { return e.Kind }
