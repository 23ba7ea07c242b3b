package livedesk_test

import (
	"testing"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

// TestChaosMemstore: three desks on one memstore (see chaos.run).
func TestChaosMemstore(t *testing.T) {
	s := memstore.New()
	chaos{stores: []store.Store{s, s, s}, check: s}.run(t)
}
