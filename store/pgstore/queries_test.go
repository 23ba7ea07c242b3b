package pgstore

import (
	"reflect"
	"strings"
	"testing"
)

// TestQueriesAreComplete checks that every statement is set and has its
// schema substituted.
func TestQueriesAreComplete(t *testing.T) {
	q := newQueries(quoteSchema("desk"))
	v := reflect.ValueOf(q)
	for i := range v.NumField() {
		name, sql := v.Type().Field(i).Name, v.Field(i).String()
		if sql == "" {
			t.Errorf("queries.%s is empty", name)
		}
		if strings.Contains(sql, placeholder) {
			t.Errorf("queries.%s still contains %s", name, placeholder)
		}
		if strings.Contains(sql, "{{") && !strings.Contains(sql, "{{limit}}") {
			t.Errorf("queries.%s has an unknown placeholder: %s", name, sql)
		}
	}
}
