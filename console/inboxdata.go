package console

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/store"
)

// inboxQuery selects the conversations an inbox page lists.
type inboxQuery struct {
	View      string // mine, unassigned, queued, all
	ChannelID string
	Team      string // the queue the "queued" view shows; "" for every queue
	Label     string
	Search    string // words in a message, or a phone number
	Resolved  bool   // the resolved ones instead of the open ones
	AgentID   string // whose "mine"
	Cursor    string // the page after this keyset cursor
	Limit     int
}

// inboxViews are the inbox's lists, in menu order. Unassigned lists every
// conversation waiting for an agent; Queued the waiting conversations of
// one team's queue (all queues when no team is picked).
var inboxViews = []struct{ Key, Label string }{
	{"mine", "Mine"}, {"unassigned", "Unassigned"}, {"queued", "Queued"}, {"all", "All"},
}

// convRow is one conversation in the list.
type convRow struct {
	store.LabeledConversation
	Contact store.Contact
	Preview string
	Channel string
}

// Who is the contact's best name.
func (r convRow) Who() string { return contactName(r.Contact) }

func contactName(c store.Contact) string {
	switch {
	case c.Name != "":
		return c.Name
	case c.ProfileName != "":
		return c.ProfileName
	}
	return c.Phone
}

// countCap bounds the per-view counts: a count is a page read, and "100+"
// says enough.
const countCap = 100

// inboxList is one page of the list with the count of each view (at most
// countCap; Capped says which are more).
type inboxList struct {
	Rows   []convRow
	Next   string // the next page's cursor, "" on the last page
	Counts map[string]int
	Capped map[string]bool
}

// Count is a view's count for people: "7", "100+".
func (l inboxList) Count(view string) string {
	if l.Capped[view] {
		return strconv.Itoa(countCap) + "+"
	}
	return strconv.Itoa(l.Counts[view])
}

// conversationSource is what the inbox reads: the desk's paginated
// conversation queries (store.Queries), so a page costs the same with ten
// or ten thousand conversations in the database.
type conversationSource interface {
	list(ctx context.Context, q inboxQuery) (inboxList, error)
}

type deskConversations struct{ desk *livedesk.Desk }

var phoneLike = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{5,}$`)

// storeQuery turns an inbox query (for view) into a store query; ok is
// false when the view is empty by definition (mine, for a user who is no
// agent).
func storeQuery(q inboxQuery, view string) (store.ConversationQuery, bool) {
	sq := store.ConversationQuery{ChannelID: q.ChannelID, Label: q.Label, Status: store.StatusOpen}
	if q.Resolved {
		sq.Status = store.StatusResolved
	}
	switch view {
	case "mine":
		if q.AgentID == "" {
			return sq, false
		}
		sq.AssigneeID = q.AgentID
	case "unassigned":
		sq.Queued, sq.AIOwned = store.FlagYes, store.FlagNo
	case "queued":
		sq.Queued, sq.Team = store.FlagYes, q.Team
	}
	if s := strings.TrimSpace(q.Search); phoneLike.MatchString(s) {
		sq.ContactPhone = "+" + strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	} else {
		sq.Text = s
	}
	return sq, true
}

func (s deskConversations) list(ctx context.Context, q inboxQuery) (inboxList, error) {
	out := inboxList{Counts: map[string]int{}, Capped: map[string]bool{}}
	for _, v := range inboxViews {
		sq, ok := storeQuery(inboxQuery{ChannelID: q.ChannelID, AgentID: q.AgentID, Team: q.Team}, v.Key)
		if !ok || v.Key == "all" { // "all" needs no count: it is everything
			continue
		}
		sq.Limit = countCap
		p, err := s.desk.QueryConversations(ctx, sq)
		if err != nil {
			return inboxList{}, err
		}
		out.Counts[v.Key], out.Capped[v.Key] = len(p.Conversations), p.Next != ""
	}
	sq, ok := storeQuery(q, q.View)
	if !ok {
		return out, nil
	}
	sq.Cursor, sq.Limit = q.Cursor, q.Limit
	p, err := s.desk.QueryConversations(ctx, sq)
	if err != nil {
		return inboxList{}, err
	}
	out.Next = p.Next
	for _, c := range p.Conversations {
		ct, err := s.desk.Contact(ctx, c.ContactID)
		if err != nil {
			return inboxList{}, err
		}
		row := convRow{LabeledConversation: c, Contact: ct}
		if ms, err := s.desk.Messages(ctx, c.ID); err == nil {
			for i := len(ms) - 1; i >= 0; i-- {
				if ms[i].Direction != store.Internal {
					row.Preview = preview(ms[i])
					break
				}
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// preview is a message in one short line.
func preview(m store.Message) string {
	t := m.Text
	if t == "" && m.Inbound != nil && len(m.Inbound.Media) > 0 {
		t = "📎 " + m.Inbound.Media[0].ContentType
	}
	if t == "" && m.ContentSID != "" {
		t = "Template " + m.ContentSID
	}
	if r := []rune(t); len(r) > 80 {
		t = string(r[:79]) + "…"
	}
	if m.Direction == store.Outbound {
		t = "You: " + t
	}
	return t
}

// maxTimeline bounds how many messages a conversation page shows.
const maxTimeline = 2000

// timeline reads a conversation's messages and notes, page by page.
func (c *Console) timeline(ctx context.Context, id string) ([]store.Message, error) {
	var all []store.Message
	q := store.MessageQuery{Limit: store.MaxPageSize}
	for len(all) < maxTimeline {
		p, err := c.opts.Desk.QueryMessages(ctx, id, q)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Messages...)
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	return all, nil
}

// windowState says whether free text can be sent, and until when.
type windowState struct {
	Open   bool
	Closes time.Time
	Left   string
}

func (c *Console) window(ct store.Contact) windowState {
	now := c.opts.Now()
	if !ct.WindowOpen(now, c.opts.WindowMargin) {
		return windowState{}
	}
	closes := ct.LastInboundAt.Add(24*time.Hour - c.opts.WindowMargin)
	left := closes.Sub(now).Round(time.Minute)
	h, m := int(left.Hours()), int(left.Minutes())%60
	s := ""
	if h > 0 {
		s = strconv.Itoa(h) + "h "
	}
	return windowState{Open: true, Closes: closes, Left: s + strconv.Itoa(m) + "m"}
}
