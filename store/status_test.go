package store_test

import (
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

func TestNextStatus(t *testing.T) {
	cases := []struct {
		name      string
		cur, next store.DeliveryStatus
		want      store.DeliveryStatus
		changed   bool
	}{
		{"queued to sent", store.DeliveryQueued, store.DeliverySent, store.DeliverySent, true},
		{"read before delivered", store.DeliverySent, store.DeliveryRead, store.DeliveryRead, true},
		{"late delivered after read", store.DeliveryRead, store.DeliveryDelivered, store.DeliveryRead, false},
		{"late sent after delivered", store.DeliveryDelivered, store.DeliverySent, store.DeliveryDelivered, false},
		{"duplicate", store.DeliverySent, store.DeliverySent, store.DeliverySent, false},
		{"accepted to queued", store.DeliveryAccepted, store.DeliveryQueued, store.DeliveryQueued, true},
		{"failed before delivery", store.DeliverySent, store.DeliveryFailed, store.DeliveryFailed, true},
		{"undelivered from queued", store.DeliveryQueued, store.DeliveryUndelivered, store.DeliveryUndelivered, true},
		{"failed after delivered is ignored", store.DeliveryDelivered, store.DeliveryFailed, store.DeliveryDelivered, false},
		{"nothing after failed", store.DeliveryFailed, store.DeliveryDelivered, store.DeliveryFailed, false},
		{"canceled from scheduled", store.DeliveryScheduled, store.DeliveryCanceled, store.DeliveryCanceled, true},
		{"canceled too late", store.DeliverySent, store.DeliveryCanceled, store.DeliverySent, false},
		{"unknown status ignored", store.DeliverySent, "receiving", store.DeliverySent, false},
		{"from nothing", "", store.DeliveryQueued, store.DeliveryQueued, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, changed := store.NextStatus(c.cur, c.next)
			if got != c.want || changed != c.changed {
				t.Fatalf("NextStatus(%s, %s) = %s, %v; want %s, %v", c.cur, c.next, got, changed, c.want, c.changed)
			}
		})
	}
}

func TestWindowOpen(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := store.Contact{LastInboundAt: t0}
	cases := []struct {
		name string
		c    store.Contact
		now  time.Time
		want bool
	}{
		{"just after the message", c, t0.Add(time.Minute), true},
		{"inside the margin before 24 h", c, t0.Add(23*time.Hour + 55*time.Minute), false},
		{"before the margin", c, t0.Add(23*time.Hour + 49*time.Minute), true},
		{"after 24 h", c, t0.Add(25 * time.Hour), false},
		{"never wrote", store.Contact{}, t0, false},
		{"closed by a 63016 after the message", store.Contact{LastInboundAt: t0, WindowClosedAt: t0.Add(time.Hour)}, t0.Add(2 * time.Hour), false},
		{"reopened by a later message", store.Contact{LastInboundAt: t0.Add(2 * time.Hour), WindowClosedAt: t0.Add(time.Hour)}, t0.Add(3 * time.Hour), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.WindowOpen(tc.now, 10*time.Minute); got != tc.want {
				t.Fatalf("WindowOpen = %v, want %v", got, tc.want)
			}
		})
	}
}
