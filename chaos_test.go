package livedesk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// chaosScale is how much faster than the wall clock the chaos test's
// desks see time pass: the waits the desk is built around (3 minutes for
// an unanswered send, a 1-minute sweep age, retry backoff) take
// milliseconds, while a send (a few milliseconds of real time) stays far
// inside its lease.
const chaosScale = 200

// scaledClock is a livedesk.Clock on which time runs chaosScale times
// faster than the wall clock.
type scaledClock struct {
	start time.Time // wall clock at creation
	base  time.Time // desk time at creation
}

func newScaledClock() *scaledClock {
	return &scaledClock{start: time.Now(), base: livedesktest.DefaultTime}
}

func (c *scaledClock) Now() time.Time {
	return c.base.Add(time.Since(c.start) * chaosScale)
}

func (c *scaledClock) NewTimer(d time.Duration) livedesk.Timer {
	return scaledTimer{time.NewTimer(d / chaosScale)}
}

type scaledTimer struct{ t *time.Timer }

func (t scaledTimer) C() <-chan time.Time { return t.t.C }
func (t scaledTimer) Stop() bool          { return t.t.Stop() }

// timeoutError is a client timeout as net/http reports one.
type timeoutError struct{}

func (timeoutError) Error() string   { return "net/http: timeout awaiting response headers" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

var _ net.Error = timeoutError{}

// chaosTwilio sits in front of the fake Twilio API and, drawn from a
// seeded generator, answers ~4% of sends 429, ~4% 500, lets ~3% time out
// with no answer (Twilio got nothing) and loses the answer of ~3% that
// Twilio accepted. Like Twilio, it posts a signed status callback for
// every message accepted, lost answer or not: before answering for a lost
// answer (so the desk learns the message exists before it would resend
// it), and for a third of the others (so callbacks race the send result).
type chaosTwilio struct {
	t     *testing.T
	api   *livedesktest.TwilioAPI
	base  http.RoundTripper
	token channel.Secret
	desks []string // base URLs the callbacks go to

	mu        sync.Mutex
	rng       *rand.Rand
	faults    map[string]int
	callbacks atomic.Int64
	lostCalls atomic.Int64 // callbacks never answered 200
}

func newChaosTwilio(t *testing.T, api *livedesktest.TwilioAPI, token channel.Secret, seed uint64) *chaosTwilio {
	return &chaosTwilio{t: t, api: api, base: api.Client().Transport, token: token,
		rng: rand.New(rand.NewPCG(seed, 7)), faults: map[string]int{}}
}

// Messenger returns a twilio.Messenger sending through the chaos.
func (c *chaosTwilio) Messenger() channel.Messenger {
	return twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: &http.Client{Transport: c, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}})
}

func (c *chaosTwilio) draw() (fault string, callback bool, desk string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.rng.Float64()
	switch {
	case r < 0.04:
		fault = "429"
	case r < 0.08:
		fault = "500"
	case r < 0.11:
		fault = "timeout"
	case r < 0.14:
		fault = "lost answer"
	}
	c.faults[fault]++
	return fault, c.rng.IntN(3) == 0, c.desks[c.rng.IntN(len(c.desks))]
}

func (c *chaosTwilio) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/Messages.json") {
		return c.base.RoundTrip(req) // not a send (a credential check...): no chaos
	}
	fault, callback, desk := c.draw()
	switch fault {
	case "429":
		_ = req.Body.Close()
		return twilioError(req, 429, 20429, "Too Many Requests"), nil
	case "500":
		_ = req.Body.Close()
		return twilioError(req, 500, 20500, "Internal Server Error"), nil
	case "timeout":
		_ = req.Body.Close()
		return nil, timeoutError{}
	}
	resp, err := c.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var created struct {
		SID string `json:"sid"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		return nil, err
	}
	if fault == "lost answer" || callback {
		c.statusCallback(created.SID, desk)
	}
	if fault == "lost answer" {
		return nil, io.ErrUnexpectedEOF
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// statusCallback posts Twilio's "sent" callback for the accepted message
// to a desk, again until it is answered 200 (as Twilio retries).
func (c *chaosTwilio) statusCallback(sid, desk string) {
	var m livedesktest.SentMessage
	for _, s := range c.api.Sent() {
		if s.SID == sid {
			m = s
		}
	}
	c.callbacks.Add(1)
	for range 500 {
		req := c.api.StatusCallback(m, "sent", 0, c.token)
		u, _ := url.Parse(desk)
		req.URL.Scheme, req.URL.Host, req.Host = u.Scheme, u.Host, ""
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	c.lostCalls.Add(1)
}

func twilioError(req *http.Request, status, code int, msg string) *http.Response {
	body, _ := json.Marshal(map[string]any{"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code)})
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: req,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
}

// chaosDesk is one desk process of the chaos test.
type chaosDesk struct {
	desk   *livedesk.Desk
	faults *faultStore
	url    string
}

// chaos is the chaos test on any store: stores[i] is desk i's view of the
// shared store (its own pool for Postgres), check an unwrapped view to
// read the outcome from; kill, when set, is called every 100 webhooks.
type chaos struct {
	stores []store.Store
	check  store.Store
	kill   func()
}

// run: several desks share one store whose calls fail ~10% of the time
// (half before the work, half after it), behind a Twilio answering 429s,
// 500s, timeouts and lost answers. 1,000 messages from 100 customers
// arrive as webhooks at any desk, 10% of them twice, each one redelivered
// until answered 200; then an agent replies in each conversation. Outcome:
// every message stored once, one conversation per customer, every
// greeting and reply accepted by Twilio exactly once, no agent over
// capacity.
func (c chaos) run(t *testing.T) {
	const contacts, each, agents, capacity = 100, 10, 10, 5
	api := livedesktest.NewTwilioAPI(t)
	clock := newScaledClock()
	api.SetClock(clock.Now)
	ch := livedesktest.TestChannel(greeting)
	ch.ID = "chaos"
	tw := newChaosTwilio(t, api, ch.Twilio.AuthToken, 42)
	api.SetAuthToken(ch.Twilio.AccountSID, ch.Twilio.AuthToken)

	var desks []*chaosDesk
	for i, s := range c.stores {
		fs := newFaultStore(s, uint64(i+1))
		d, err := livedesk.New(livedesk.Options{
			PublicURL: livedesktest.PublicURL, Store: fs, Clock: clock, Messenger: tw.Messenger(),
			PollInterval: 5 * time.Second, OutboxLease: 15 * time.Minute, MaxAttempts: 50,
		})
		require.NoError(t, err)
		srv := httptest.NewServer(d.Handler())
		t.Cleanup(srv.Close)
		desks = append(desks, &chaosDesk{desk: d, faults: fs, url: srv.URL})
		tw.desks = append(tw.desks, srv.URL)
	}
	ctx := t.Context()
	ch, err := desks[0].desk.CreateChannel(ctx, ch)
	require.NoError(t, err)
	for i := range agents {
		id := fmt.Sprintf("a%02d", i)
		_, err := desks[0].desk.CreateAgent(ctx, store.Agent{ID: id, Name: id, Capacity: capacity, Status: store.AgentOnline})
		require.NoError(t, err)
		require.NoError(t, desks[0].desk.AddAgent(ctx, ch.ID, id))
	}
	for _, d := range desks {
		d.faults.SetRate(0.10)
	}
	runCtx, stop := context.WithCancel(context.Background())
	var runs sync.WaitGroup
	for _, d := range desks {
		runs.Go(func() { _ = d.desk.Run(runCtx) })
	}
	defer func() { stop(); runs.Wait() }()

	// The webhooks, 10% delivered twice, in a seeded random order.
	rng := rand.New(rand.NewPCG(1, 2))
	var deliveries []livedesktest.Message
	for i := range contacts * each {
		m := livedesktest.Message{SID: fmt.Sprintf("SM%032x", i+1), From: fmt.Sprintf("+1415555%04d", i%contacts), Body: fmt.Sprintf("message %d", i)}
		deliveries = append(deliveries, m)
		if i%10 == 0 {
			deliveries = append(deliveries, m)
		}
	}
	rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
	work := make(chan int)
	var unanswered, redeliveries atomic.Int64
	var senders sync.WaitGroup
	for w := range 12 {
		senders.Go(func() {
			for i := range work {
				m := deliveries[i]
				ok := false
				for try := range 100 {
					d := desks[(i+try+w)%len(desks)]
					req := livedesktest.NewRequest(ch, livedesktest.PublicURL+"/twilio/"+ch.ID, d.url+"/twilio/"+ch.ID, m.Form(ch))
					resp, err := http.DefaultClient.Do(req)
					if err == nil {
						_, _ = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode == 200 {
							ok = true
							break
						}
					}
					redeliveries.Add(1)
				}
				if !ok {
					unanswered.Add(1)
				}
			}
		})
	}
	for i := range deliveries {
		if c.kill != nil && i > 0 && i%100 == 0 {
			c.kill()
		}
		work <- i
	}
	close(work)
	senders.Wait()
	require.Zero(t, unanswered.Load(), "every webhook answered 200 in the end")
	webhooksDone := time.Since(clock.start)

	// An agent replies in every conversation, through any desk, retrying
	// with the same key until the store takes it.
	convs, err := c.check.ListConversations(ctx, store.ConversationFilter{ChannelID: ch.ID})
	require.NoError(t, err)
	require.Len(t, convs, contacts, "one conversation per customer")
	for i, conv := range convs {
		var err error
		for try := range 100 {
			_, err = desks[(i+try)%len(desks)].desk.Send(ctx, conv.ID, livedesk.Outgoing{AgentID: "a00", Text: "reply to " + conv.ContactID, Key: "chaos-reply-" + conv.ID})
			if err == nil {
				break
			}
		}
		require.NoError(t, err)
	}

	// Wait until every inbound message is processed and every outbound one
	// has left the outbox, checking the store (unwrapped) as it goes.
	var inbound, outbound map[string][]store.Message
	deadline := time.Now().Add(30 * time.Second)
	for {
		inbound, outbound = map[string][]store.Message{}, map[string][]store.Message{}
		settled := true
		for _, conv := range convs {
			msgs, err := c.check.Messages(ctx, conv.ID)
			require.NoError(t, err)
			for _, m := range msgs {
				if m.Direction == store.Inbound {
					inbound[m.SID] = append(inbound[m.SID], m)
					settled = settled && m.Processed
					continue
				}
				outbound[m.ID] = append(outbound[m.ID], m)
				settled = settled && (m.SID != "" || m.Status == store.DeliveryFailed)
			}
		}
		if settled && len(outbound) == 2*contacts {
			break
		}
		if time.Now().After(deadline) {
			unprocessed, pending, greeted := 0, 0, map[string]bool{}
			for _, ms := range inbound {
				if !ms[0].Processed {
					unprocessed++
				}
			}
			for _, ms := range outbound {
				if ms[0].SID == "" && ms[0].Status != store.DeliveryFailed {
					pending++
				}
				if ms[0].Kind == store.KindGreeting {
					greeted[ms[0].ConversationID] = true
				}
			}
			t.Fatalf("not settled after 30 s: %d inbound (%d unprocessed), %d outbound (want %d; %d not sent yet), %d of %d conversations without a greeting",
				len(inbound), unprocessed, len(outbound), 2*contacts, pending, contacts-len(greeted), contacts)
		}
		time.Sleep(20 * time.Millisecond) // polling the outcome, not waiting for a time to pass
	}
	settledAt := time.Since(clock.start)
	stop()
	runs.Wait()
	t.Logf("runs stopped at %v", time.Since(clock.start))

	injected := 0
	for _, d := range desks {
		injected += d.faults.Injected()
	}
	tw.mu.Lock()
	t.Logf("%d webhooks (%d redeliveries after a non-200) in %v, settled at %v; %d store faults injected, Twilio faults %v, %d status callbacks",
		len(deliveries), redeliveries.Load(), webhooksDone, settledAt, injected, tw.faults, tw.callbacks.Load())
	tw.mu.Unlock()
	require.Greater(t, injected, 100, "faults were injected")
	require.Zero(t, tw.lostCalls.Load(), "every status callback answered 200 in the end")

	// 0 lost, 0 stored twice.
	require.Len(t, inbound, contacts*each, "every message stored")
	for sid, ms := range inbound {
		require.Len(t, ms, 1, "message %s stored once", sid)
	}
	// 0 sent twice, 0 lost: each outbound message accepted once by
	// Twilio, with the SID the store has.
	sentByID := map[string][]livedesktest.SentMessage{}
	for _, s := range api.Sent() {
		u, err := url.Parse(s.StatusCallback)
		require.NoError(t, err)
		sentByID[u.Query().Get("o")] = append(sentByID[u.Query().Get("o")], s)
	}
	greetings := map[string]int{}
	for id, ms := range outbound {
		m := ms[0]
		require.Equal(t, 1, len(sentByID[id]), "outbound %s (%s) accepted by Twilio exactly once", id, m.Kind)
		require.Equal(t, sentByID[id][0].SID, m.SID)
		if m.Kind == store.KindGreeting {
			greetings[m.ConversationID]++
		}
	}
	require.Len(t, api.Sent(), 2*contacts)
	require.Len(t, greetings, contacts, "a greeting in every conversation")
	// 0 over capacity, and the agents' counters agree with the
	// conversations.
	perAgent := map[string]int{}
	final, err := c.check.ListConversations(ctx, store.ConversationFilter{ChannelID: ch.ID})
	require.NoError(t, err)
	for _, conv := range final {
		if conv.AssigneeID != "" {
			perAgent[conv.AssigneeID]++
		}
	}
	all, err := c.check.ListAgents(ctx, nil)
	require.NoError(t, err)
	assigned := 0
	for _, a := range all {
		require.LessOrEqual(t, perAgent[a.ID], capacity, a.ID)
		require.Equal(t, perAgent[a.ID], a.Open, "agent %s's open count", a.ID)
		assigned += perAgent[a.ID]
	}
	require.Equal(t, agents*capacity, assigned, "every agent filled to capacity, no more")
	t.Logf("checked at %v", time.Since(clock.start))
}
