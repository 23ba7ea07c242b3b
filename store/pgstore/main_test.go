package pgstore_test

import (
	"testing"

	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// TestMain says in go test's normal output when the PostgreSQL tests skip.
func TestMain(m *testing.M) { pgtest.Main(m) }
