package memstore

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// Store is an in-memory store.Store. The zero value is not usable; call New.
type Store struct {
	mu sync.Mutex

	channels map[string]channel.Channel
	chanSeq  map[string]int64 // insertion order, for stable listing
	members  map[string]*members
	seq      int64

	contacts       map[string]*store.Contact
	contactByPhone map[pair]string // (channel, phone) -> contact ID

	convs    map[string]*store.Conversation
	convList []string          // conversation IDs, oldest first
	openConv map[string]string // contact ID -> open conversation ID

	msgs        map[string]*store.Message
	msgBySID    map[pair]string     // (channel, inbound MessageSid) -> message ID
	msgByKey    map[string]string   // outbound idempotency key -> message ID
	convMsgs    map[string][]string // conversation ID -> message IDs in order
	unprocessed map[string]struct{} // inbound message IDs not processed yet
	outBySID    map[pair]string     // (channel, outbound SID) -> message ID
	due         map[string]struct{} // outbound message IDs pending or sending
	outSeq      map[string]int64    // outbound message ID -> queue order
	leases      map[string]lease    // outbound message ID -> current lease

	agents  map[string]*store.Agent
	cursors map[string]string // round-robin cursor key -> agent ID

	surveys        map[string]*store.Survey
	surveyList     []*store.Survey     // in creation order, for reports
	contactSurveys map[string][]string // contact ID -> survey IDs, oldest first
	surveySeq      map[string]int64    // survey ID -> creation order

	aiTurns map[string]*aiTurn // conversation ID -> its pending AI turn

	labels map[string][]string // conversation ID -> its labels, sorted (made on first use)
	feed   feed                // the event feed (events.go)

	heartbeats map[string]time.Time // runner -> its latest heartbeat (made on first use)
}

type lease struct {
	token string
	until time.Time
}

type pair struct{ a, b string }

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		channels:       map[string]channel.Channel{},
		chanSeq:        map[string]int64{},
		members:        map[string]*members{},
		contacts:       map[string]*store.Contact{},
		contactByPhone: map[pair]string{},
		convs:          map[string]*store.Conversation{},
		openConv:       map[string]string{},
		msgs:           map[string]*store.Message{},
		msgBySID:       map[pair]string{},
		msgByKey:       map[string]string{},
		convMsgs:       map[string][]string{},
		unprocessed:    map[string]struct{}{},
		outBySID:       map[pair]string{},
		due:            map[string]struct{}{},
		outSeq:         map[string]int64{},
		leases:         map[string]lease{},
		agents:         map[string]*store.Agent{},
		cursors:        map[string]string{},
		surveys:        map[string]*store.Survey{},
		contactSurveys: map[string][]string{},
		surveySeq:      map[string]int64{},
		aiTurns:        map[string]*aiTurn{},
		feed:           feed{wake: make(chan struct{}), cursors: map[string]*cursorRow{}},
	}
}

func newID() string { return uuid.NewString() }

// touch moves a conversation's UpdatedAt to at, never back.
func touch(c *store.Conversation, at time.Time) {
	if at.After(c.UpdatedAt) {
		c.UpdatedAt = at
	}
}

// sortByCreated orders records oldest first, ties broken by insertion order
// given by the caller's seq function.
func sortByCreated[T any](xs []T, created func(T) int64) {
	slices.SortStableFunc(xs, func(a, b T) int { return cmp.Compare(created(a), created(b)) })
}
