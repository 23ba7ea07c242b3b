package csat

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration written in JSON as a Go duration string ("24h",
// "90m", "168h") so configs stay readable; convert with time.Duration(d).
type Duration time.Duration

// String returns the Go duration syntax, "24h0m0s".
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText writes d as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(time.Duration(d).String()), nil
}

// UnmarshalText reads a Go duration string such as "24h" or "1h30m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("csat: lifetime %q is not a duration: write it like \"24h\" or \"90m\": %w", b, err)
	}
	*d = Duration(v)
	return nil
}

// UnmarshalJSON reads a JSON string holding a Go duration. Numbers are refused
// with an explanation: a bare 86400 could mean seconds or nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("csat: lifetime %s is not a string: write it as a Go duration string like \"24h\": %w", b, err)
	}
	return d.UnmarshalText([]byte(s))
}
