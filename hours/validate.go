package hours

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Validate reports every problem in b at once, each as a *FieldError naming its field, joined
// with errors.Join; nil means Compile will succeed. It checks the time zone (a known IANA name,
// not "Local"), each range (format, existing times, not empty), overlaps within a day and from the
// week's overnight ranges into the next day, each exception (an existing date, closed or ranges
// but not both) and duplicate exception dates. A disabled configuration is checked too, so that
// enabling it later cannot fail.
func (b BusinessHours) Validate() error {
	_, err := b.compile()
	return err
}

// Compile validates b (see Validate), loads its time zone once and returns a Schedule ready for
// fast queries. A Schedule compiled from a disabled BusinessHours is always open.
func (b BusinessHours) Compile() (*Schedule, error) {
	return b.compile()
}

// checker collects problems while a BusinessHours is compiled.
type checker struct {
	errs []error
}

func (c *checker) add(field string, fe *FieldError) {
	fe.Field = field
	c.errs = append(c.errs, fe)
}

// indexed is a parsed range with its position in the list it came from, for messages.
type indexed struct {
	span
	i    int
	text Range
}

func (b BusinessHours) compile() (*Schedule, error) {
	var c checker
	s := &Schedule{enabled: b.Enabled, message: b.OutOfOfficeMessage}
	s.loc = c.location(b.TimeZone)

	var week [7][]indexed
	for _, d := range jsonDayOrder() {
		week[d] = c.day("week."+dayName(d), b.Week[d])
	}
	for _, d := range jsonDayOrder() {
		c.spillOverlaps(week, d)
		s.week[d] = newDaySched(week[d])
	}
	c.exceptions(s, b.Exceptions)

	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	s.finish()
	return s, nil
}

// location loads the schedule's zone; "" is UTC.
func (c *checker) location(name string) *time.Location {
	switch name {
	case "", "UTC":
		return time.UTC
	case "Local":
		c.add("timezone", &FieldError{Kind: ErrTimeZone,
			Msg: `"Local" is the server's own zone, so the hours would move with the server; name the zone, e.g. "Europe/Paris"`})
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		c.add("timezone", &FieldError{Kind: ErrTimeZone,
			Msg: fmt.Sprintf(`unknown time zone %q; use an IANA name such as "Europe/Paris" (empty means UTC)`, name)})
		return nil
	}
	return loc
}

// day parses the ranges of one day and reports bad and overlapping ones. It returns the good
// ranges sorted by start.
func (c *checker) day(path string, ranges []Range) []indexed {
	var out []indexed
	for i, r := range ranges {
		sp, fe := r.parse()
		if fe != nil {
			c.add(fmt.Sprintf("%s[%d]", path, i), fe)
			continue
		}
		out = append(out, indexed{span: sp, i: i, text: r})
	}
	slices.SortStableFunc(out, func(a, b indexed) int { return cmp.Compare(a.start, b.start) })
	// Comparing each range with the one reaching furthest so far finds every range that overlaps
	// an earlier one, not only neighbours.
	for k, far := 1, 0; k < len(out); k++ {
		if out[k].start < out[far].end {
			c.add(fmt.Sprintf("%s[%d]", path, out[k].i), &FieldError{Kind: ErrOverlap,
				Msg: fmt.Sprintf("%q overlaps %q (%s[%d]); merge them or move one", out[k].text, out[far].text, path, out[far].i)})
		}
		if out[k].end > out[far].end {
			far = k
		}
	}
	return out
}

// spillOverlaps reports ranges of day d that overlap the part after midnight of the previous
// day's overnight range.
func (c *checker) spillOverlaps(week [7][]indexed, d time.Weekday) {
	prev := (d + 6) % 7
	for _, o := range week[prev] {
		if !o.overnight() {
			continue
		}
		spill := o.end - minutesPerDay
		for _, r := range week[d] {
			if r.start < spill {
				c.add(fmt.Sprintf("week.%s[%d]", dayName(d), r.i), &FieldError{Kind: ErrOverlap,
					Msg: fmt.Sprintf("%q overlaps %q (week.%s[%d]), which runs past midnight into %s; start this range at %02d:%02d or later, or end %s's range earlier",
						r.text, o.text, dayName(prev), o.i, dayName(d), spill/60, spill%60, dayName(prev))})
			}
		}
	}
}

// exceptions checks the exceptions and files them into s.
func (c *checker) exceptions(s *Schedule, list []Exception) {
	oneOff := map[int64]int{}  // day number -> exception index
	yearly := map[[2]int]int{} // month, day -> exception index
	for i, ex := range list {
		path := fmt.Sprintf("exceptions[%d]", i)
		switch {
		case ex.Closed && len(ex.Ranges) > 0:
			c.add(path, &FieldError{Kind: ErrException,
				Msg: `has both "closed": true and "ranges"; a closed day has no ranges, drop one`})
		case !ex.Closed && len(ex.Ranges) == 0:
			c.add(path, &FieldError{Kind: ErrException,
				Msg: `has neither "closed": true nor "ranges"; set one of them`})
		}
		ds := newDaySched(c.day(path+".ranges", ex.Ranges))
		d, fe := parseDate(ex.Date)
		if fe != nil {
			c.add(path+".date", fe)
			continue
		}
		if ex.Yearly {
			key := [2]int{int(d.month), d.day}
			if j, dup := yearly[key]; dup {
				c.add(path+".date", &FieldError{Kind: ErrDuplicateDate,
					Msg: fmt.Sprintf("%02d-%02d every year is already used by exceptions[%d]%s; keep one yearly exception per day of the year",
						d.month, d.day, j, nameSuffix(list[j].Name))})
				continue
			}
			yearly[key] = i
			s.yearlySched = append(s.yearlySched, ds)
			s.yearly[d.month][d.day] = int16(len(s.yearlySched))
			continue
		}
		n := d.dayNumber()
		if j, dup := oneOff[n]; dup {
			c.add(path+".date", &FieldError{Kind: ErrDuplicateDate,
				Msg: fmt.Sprintf("%s is already used by exceptions[%d]%s; keep one exception per day",
					ex.Date, j, nameSuffix(list[j].Name))})
			continue
		}
		oneOff[n] = i
		s.oneOff = append(s.oneOff, dated{day: n, sched: ds})
	}
}

func nameSuffix(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", name)
}
