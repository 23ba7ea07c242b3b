package hours

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// MarshalJSON writes the week as an object keyed by day name, Monday first, leaving closed days
// out: {"monday":["09:00-18:00"],"saturday":["10:00-13:00"]}.
func (w Week) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, d := range jsonDayOrder() {
		if len(w[d]) == 0 {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		ranges, err := json.Marshal(w[d])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%q:", dayName(d))
		b.Write(ranges)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the object MarshalJSON writes. Day names are matched without regard to
// case; an unknown or repeated day is an error, and so is anything but a list of strings for a
// day. A day given as null or [] is closed (nil). Errors are *FieldError values naming the field,
// e.g. "week.monday[1]".
func (w *Week) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var days map[string]json.RawMessage
	if err := json.Unmarshal(data, &days); err != nil {
		return decodeError("week", err, `an object like {"monday": ["09:00-18:00"]}`)
	}
	var out Week
	seen := [7]string{}
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(days)) { // sorted: stable errors
		raw := days[key]
		d, known := weekdayByName(key)
		switch {
		case !known:
			errs = append(errs, &FieldError{Field: "week", Kind: ErrDecode,
				Msg: fmt.Sprintf("%q is not a day; use monday, tuesday, wednesday, thursday, friday, saturday or sunday", key)})
			continue
		case seen[d] != "":
			errs = append(errs, &FieldError{Field: "week", Kind: ErrDecode,
				Msg: fmt.Sprintf("%q and %q name the same day; keep one", seen[d], key)})
			continue
		}
		seen[d] = key
		ranges, err := decodeRanges("week."+dayName(d), raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[d] = ranges
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	*w = out
	return nil
}

func weekdayByName(name string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(name, dayName(d)) {
			return d, true
		}
	}
	return 0, false
}

// decodeRanges reads a list of ranges, pointing errors at the element; an empty or missing list
// is nil.
func decodeRanges(path string, raw json.RawMessage) ([]Range, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, decodeError(path, err, `a list of ranges like ["09:00-12:00", "14:00-18:00"]`)
	}
	var out []Range
	for i, item := range items {
		var r string
		if err := json.Unmarshal(item, &r); err != nil {
			return nil, decodeError(fmt.Sprintf("%s[%d]", path, i), err, `a string like "09:00-18:00"`)
		}
		out = append(out, Range(r))
	}
	return out, nil
}

// UnmarshalJSON reads a BusinessHours like encoding/json would (unknown fields are ignored, so
// that a configuration written by a newer version still loads), but reports a value of the wrong
// type as a *FieldError naming its field ("enabled", "week.friday[0]", "exceptions[2].date")
// instead of a Go type name. Empty lists decode as nil, so Marshal then Unmarshal gives back an
// equal value. It does not validate the values: call Validate or Compile for that.
func (b *BusinessHours) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	// The wire types mirror BusinessHours and Exception field by field (the round-trip tests
	// keep them in step) but hold lists raw, so that errors can name the element.
	var wire struct {
		Enabled            bool              `json:"enabled"`
		TimeZone           string            `json:"timezone"`
		Week               Week              `json:"week"`
		Exceptions         []json.RawMessage `json:"exceptions"`
		OutOfOfficeMessage string            `json:"out_of_office_message"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) { // from Week.UnmarshalJSON, already placed
			return err
		}
		return decodeError("", err, "an object")
	}
	out := BusinessHours{Enabled: wire.Enabled, TimeZone: wire.TimeZone, Week: wire.Week,
		OutOfOfficeMessage: wire.OutOfOfficeMessage}
	for i, raw := range wire.Exceptions {
		ex, err := decodeException(fmt.Sprintf("exceptions[%d]", i), raw)
		if err != nil {
			return err
		}
		out.Exceptions = append(out.Exceptions, ex)
	}
	*b = out
	return nil
}

func decodeException(path string, raw json.RawMessage) (Exception, error) {
	var wire struct {
		Name   string          `json:"name"`
		Date   string          `json:"date"`
		Yearly bool            `json:"yearly"`
		Closed bool            `json:"closed"`
		Ranges json.RawMessage `json:"ranges"`
	}
	if err := json.Unmarshal(raw, &wire); err != nil {
		return Exception{}, decodeError(path, err, "an object")
	}
	ranges, err := decodeRanges(path+".ranges", wire.Ranges)
	if err != nil {
		return Exception{}, err
	}
	return Exception{Name: wire.Name, Date: wire.Date, Yearly: wire.Yearly, Closed: wire.Closed, Ranges: ranges}, nil
}

// decodeError turns an encoding/json error into a *FieldError under path. want describes the
// expected value when the error is about the value at path itself.
func decodeError(path string, err error, want string) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return &FieldError{Field: path, Kind: ErrDecode, Msg: err.Error()}
	}
	field := path
	if te.Field != "" {
		want = describe(te.Type)
		field = strings.TrimPrefix(path+"."+te.Field, ".")
	}
	return &FieldError{Field: field, Kind: ErrDecode, Msg: fmt.Sprintf("want %s, got %s", want, te.Value)}
}

// describe names the JSON value a Go type expects, for people who write JSON.
func describe(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[Range]():
		return `a string like "09:00-18:00"`
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Slice:
		return "a list"
	}
	return "an object"
}
