package csat

import (
	"testing"
	"time"
	_ "time/tzdata" // period tests must not depend on the machine's zoneinfo
)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return loc
}
