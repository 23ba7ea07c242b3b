package pgtest

import (
	"errors"
	"strings"
	"testing"
)

func TestSkipNotice(t *testing.T) {
	t.Setenv(EnvDSN, "postgres://u:secret@127.0.0.1:1/x")
	got := skipNotice(errors.New("dial error:\n\tconnection refused"))
	for _, want := range []string{"store/pgstore/pgtest: SKIPPED its PostgreSQL tests", "dial error: connection refused", EnvDSN + "=postgres://", "CI=true"} {
		if !strings.Contains(got, want) {
			t.Errorf("notice %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "\n") || strings.Contains(got, "secret") {
		t.Errorf("notice %q must be one line without the password", got)
	}
}
