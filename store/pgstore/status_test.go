package pgstore_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// allStatuses is every delivery status, plus the empty status ApplyStatus
// uses for "no provider status yet" and one the desk does not know.
var allStatuses = []store.DeliveryStatus{"", store.DeliveryPending, store.DeliverySending, store.DeliveryAccepted,
	store.DeliveryScheduled, store.DeliveryQueued, store.DeliveryTwilioSend, store.DeliverySent,
	store.DeliveryDelivered, store.DeliveryRead, store.DeliveryUndelivered, store.DeliveryFailed,
	store.DeliveryCanceled, "receiving"}

// TestStatusFunctionsMatchGo checks the SQL status_rank and next_status
// against store.StatusRank and store.NextStatus on every pair of statuses:
// the SQL copy must never drift from the contract.
func TestStatusFunctionsMatchGo(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	names := make([]string, len(allStatuses))
	for i, s := range allStatuses {
		names[i] = string(s)
	}
	q := pgx.Identifier{schema}.Sanitize()
	rows, err := pool.Query(t.Context(), `SELECT c, n, `+q+`.status_rank(c), `+q+`.next_status(c, n)
		FROM unnest($1::text[]) c, unnest($1::text[]) n`, names)
	require.NoError(t, err)
	type result struct {
		cur, next string
		rank      int
		moved     *string
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (result, error) {
		var x result
		err := r.Scan(&x.cur, &x.next, &x.rank, &x.moved)
		return x, err
	})
	require.NoError(t, err)
	require.Len(t, got, len(names)*len(names))
	for _, r := range got {
		cur, next := store.DeliveryStatus(r.cur), store.DeliveryStatus(r.next)
		require.Equal(t, store.StatusRank(cur), r.rank, "status_rank(%q)", cur)
		want, changed := store.NextStatus(cur, next)
		if !changed {
			require.Nil(t, r.moved, "next_status(%q, %q): Go keeps %q", cur, next, cur)
			continue
		}
		require.NotNil(t, r.moved, "next_status(%q, %q): Go moves to %q", cur, next, want)
		require.Equal(t, string(want), *r.moved, "next_status(%q, %q)", cur, next)
	}
}
