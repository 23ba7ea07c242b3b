package memstore_test

import (
	"testing"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
	"github.com/livedesk/livedesk/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return memstore.New() })
}
