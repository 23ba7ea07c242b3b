package routing

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalidRule is matched (errors.Is) by every error that DecodeRules, Compile and the
// UnmarshalJSON methods return for a bad rule, so a host app can tell "the rules an admin typed are
// wrong" (show the message) from other failures.
var ErrInvalidRule = errors.New("routing: invalid rule")

// RuleError reports a bad rule and where it is. Path is a JSON-style location such as
// "rules[2].when.all[1]" (rooted at "rule", "condition" or "target" when a single value is
// unmarshalled); Err says what is wrong there.
type RuleError struct {
	Path string
	Err  error
}

// Error returns "routing: <path>: <what is wrong>".
func (e *RuleError) Error() string {
	if e.Path == "" {
		return "routing: " + e.Err.Error()
	}
	return "routing: " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns the underlying error (for example a *regexp/syntax.Error).
func (e *RuleError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrInvalidRule) true for every RuleError.
func (e *RuleError) Is(target error) bool { return target == ErrInvalidRule }

// ruleErrorf builds a RuleError at path; %w in format wraps as with fmt.Errorf.
func ruleErrorf(path, format string, args ...any) error {
	return &RuleError{Path: path, Err: fmt.Errorf(format, args...)}
}

// quote returns s in Go double-quoted form, as used in every message of the package.
func quote(s string) string { return strconv.Quote(s) }

// quoteList returns `"a", "b"` for names.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// index appends "[i]" to a path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// field appends ".name" to a path (or returns name at the root).
func field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
