package hours_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/hours"
)

const exampleJSON = `{
  "enabled": true,
  "timezone": "Europe/Paris",
  "week": {
    "monday": ["09:00-12:30", "14:00-18:00"],
    "friday": ["09:00-12:30", "22:00-02:00"],
    "saturday": ["10:00-16:00"]
  },
  "exceptions": [
    {"name": "Christmas", "date": "2026-12-25", "yearly": true, "closed": true},
    {"name": "Inventory", "date": "2026-06-12", "ranges": ["10:00-14:00"]}
  ],
  "out_of_office_message": "We are closed. We are back {{next_open}}."
}`

var exampleHours = hours.BusinessHours{
	Enabled:  true,
	TimeZone: "Europe/Paris",
	Week: hours.Week{
		time.Monday:   {"09:00-12:30", "14:00-18:00"},
		time.Friday:   {"09:00-12:30", "22:00-02:00"},
		time.Saturday: {"10:00-16:00"},
	},
	Exceptions: []hours.Exception{
		{Name: "Christmas", Date: "2026-12-25", Yearly: true, Closed: true},
		{Name: "Inventory", Date: "2026-06-12", Ranges: []hours.Range{"10:00-14:00"}},
	},
	OutOfOfficeMessage: "We are closed. We are back {{next_open}}.",
}

func TestJSONDecodesWhatPeopleWrite(t *testing.T) {
	var b hours.BusinessHours
	require.NoError(t, json.Unmarshal([]byte(exampleJSON), &b))
	require.Equal(t, exampleHours, b)
	require.NoError(t, b.Validate())
}

func TestJSONEncodesReadably(t *testing.T) {
	data, err := json.Marshal(exampleHours)
	require.NoError(t, err)
	require.Equal(t, `{"enabled":true,"timezone":"Europe/Paris",`+
		`"week":{"monday":["09:00-12:30","14:00-18:00"],"friday":["09:00-12:30","22:00-02:00"],"saturday":["10:00-16:00"]},`+
		`"exceptions":[{"name":"Christmas","date":"2026-12-25","yearly":true,"closed":true},`+
		`{"name":"Inventory","date":"2026-06-12","ranges":["10:00-14:00"]}],`+
		`"out_of_office_message":"We are closed. We are back {{next_open}}."}`, string(data))

	data, err = json.Marshal(hours.BusinessHours{})
	require.NoError(t, err)
	require.Equal(t, `{"enabled":false,"timezone":"","week":{}}`, string(data), "zero value")
}

func TestJSONRoundTrip(t *testing.T) {
	tests := []struct {
		rule string
		b    hours.BusinessHours
	}{
		{"zero value", hours.BusinessHours{}},
		{"the documented example", exampleHours},
		{"every day and every field", hours.BusinessHours{Enabled: true, TimeZone: "Asia/Tokyo", Week: everyDay("00:00-24:00"),
			Exceptions:         []hours.Exception{{Name: "x", Date: "2026-01-01", Yearly: true, Ranges: []hours.Range{"22:00-02:00"}}},
			OutOfOfficeMessage: "<b>\"closed\"</b> & back {{next_open}}\n"}},
		{"invalid values round-trip too", hours.BusinessHours{TimeZone: "Nowhere", Week: hours.Week{time.Sunday: {"nonsense", ""}},
			Exceptions: []hours.Exception{{Date: "tomorrow"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			data, err := json.Marshal(tt.b)
			require.NoError(t, err)
			var back hours.BusinessHours
			require.NoError(t, json.Unmarshal(data, &back))
			require.Equal(t, tt.b, back)
		})
	}
}

func TestJSONDecodingNormalises(t *testing.T) {
	var b hours.BusinessHours
	require.NoError(t, json.Unmarshal([]byte(`{"week":{"Monday":["09:00-18:00"],"tuesday":[],"wednesday":null},
		"exceptions":[{"date":"2026-12-25","closed":true,"ranges":[]}],"future_field":1}`), &b))
	require.Equal(t, hours.BusinessHours{
		Week:       hours.Week{time.Monday: {"09:00-18:00"}},
		Exceptions: []hours.Exception{{Date: "2026-12-25", Closed: true}},
	}, b, "day names ignore case, empty lists are nil, unknown fields are ignored")

	b = exampleHours
	require.NoError(t, json.Unmarshal([]byte(`null`), &b))
	require.Equal(t, exampleHours, b, "null leaves the value alone")
}

func TestJSONDecodingErrorsNameTheField(t *testing.T) {
	tests := []struct {
		rule  string
		json  string
		field string
		want  string
	}{
		{"not an object", `[1]`, "", `hours: want an object, got array`},
		{"enabled not a bool", `{"enabled":"yes"}`, "enabled", `hours: enabled: want true or false, got string`},
		{"timezone not a string", `{"timezone":1}`, "timezone", `hours: timezone: want a string, got number`},
		{"week not an object", `{"week":["09:00-18:00"]}`, "week",
			`hours: week: want an object like {"monday": ["09:00-18:00"]}, got array`},
		{"unknown day", `{"week":{"mondy":["09:00-18:00"]}}`, "week",
			`hours: week: "mondy" is not a day; use monday, tuesday, wednesday, thursday, friday, saturday or sunday`},
		{"same day twice", `{"week":{"monday":[],"Monday":[]}}`, "week",
			`hours: week: "Monday" and "monday" name the same day; keep one`},
		{"day not a list", `{"week":{"monday":"09:00-18:00"}}`, "week.monday",
			`hours: week.monday: want a list of ranges like ["09:00-12:00", "14:00-18:00"], got string`},
		{"range not a string", `{"week":{"friday":["09:00-12:00", 14]}}`, "week.friday[1]",
			`hours: week.friday[1]: want a string like "09:00-18:00", got number`},
		{"exceptions not a list", `{"exceptions":{"date":"2026-12-25"}}`, "exceptions",
			`hours: exceptions: want a list, got object`},
		{"exception not an object", `{"exceptions":["2026-12-25"]}`, "exceptions[0]",
			`hours: exceptions[0]: want an object, got string`},
		{"exception date not a string", `{"exceptions":[{"date":"2026-12-25","closed":true},{"date":20261225}]}`, "exceptions[1].date",
			`hours: exceptions[1].date: want a string, got number`},
		{"exception closed not a bool", `{"exceptions":[{"date":"2026-12-25","closed":"yes"}]}`, "exceptions[0].closed",
			`hours: exceptions[0].closed: want true or false, got string`},
		{"exception range not a string", `{"exceptions":[{"date":"2026-12-25","ranges":["10:00-12:00",{}]}]}`, "exceptions[0].ranges[1]",
			`hours: exceptions[0].ranges[1]: want a string like "09:00-18:00", got object`},
		{"message not a string", `{"out_of_office_message":["closed"]}`, "out_of_office_message",
			`hours: out_of_office_message: want a string, got array`},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			var b hours.BusinessHours
			err := json.Unmarshal([]byte(tt.json), &b)
			require.EqualError(t, err, tt.want)
			require.ErrorIs(t, err, hours.ErrDecode)
			var fe *hours.FieldError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tt.field, fe.Field)
		})
	}
}

func TestJSONWeekAlone(t *testing.T) {
	var w hours.Week
	require.NoError(t, json.Unmarshal([]byte(`{"sunday":["10:00-12:00"]}`), &w))
	require.Equal(t, hours.Week{time.Sunday: {"10:00-12:00"}}, w)
	data, err := json.Marshal(w)
	require.NoError(t, err)
	require.JSONEq(t, `{"sunday":["10:00-12:00"]}`, string(data))
}
