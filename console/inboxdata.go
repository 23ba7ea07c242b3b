package console

import (
	"context"
	"slices"
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
	Search    string // contact name or phone, case-insensitive
	Resolved  bool   // the resolved ones instead of the open ones
	AgentID   string // whose "mine"
	Offset    int
	Limit     int
}

// inboxViews are the inbox's lists, in menu order.
var inboxViews = []struct{ Key, Label string }{
	{"mine", "Mine"}, {"unassigned", "Unassigned"}, {"queued", "Queued"}, {"all", "All"},
}

// convRow is one conversation in the list.
type convRow struct {
	store.Conversation
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

// inboxList is one page of the list with the count of each view.
type inboxList struct {
	Rows   []convRow
	Total  int
	Counts map[string]int
}

// conversationSource is what the inbox reads. deskConversations builds it
// on the desk's list-everything calls; a paginated query API can replace it
// without touching the screens.
type conversationSource interface {
	list(ctx context.Context, q inboxQuery) (inboxList, error)
}

type deskConversations struct{ desk *livedesk.Desk }

// matches reports whether an open conversation is in a view.
func matches(view, me string, c *store.Conversation) bool {
	switch view {
	case "mine":
		return me != "" && c.AssigneeID == me
	case "unassigned":
		return c.AssigneeID == "" && c.AIAgentID == ""
	case "queued":
		return !c.QueuedAt.IsZero()
	}
	return true
}

func (s deskConversations) list(ctx context.Context, q inboxQuery) (inboxList, error) {
	open, err := s.desk.Conversations(ctx, store.ConversationFilter{ChannelID: q.ChannelID, Status: store.StatusOpen})
	if err != nil {
		return inboxList{}, err
	}
	out := inboxList{Counts: map[string]int{}}
	for i := range open {
		for _, v := range inboxViews {
			if matches(v.Key, q.AgentID, &open[i]) {
				out.Counts[v.Key]++
			}
		}
	}
	cs := open
	if q.Resolved {
		if cs, err = s.desk.Conversations(ctx, store.ConversationFilter{ChannelID: q.ChannelID, Status: store.StatusResolved}); err != nil {
			return inboxList{}, err
		}
	}
	// Pointers into cs: the list is sorted and cut without copying 10,000
	// conversations again.
	sel := make([]*store.Conversation, 0, len(cs))
	for i := range cs {
		if q.Resolved || matches(q.View, q.AgentID, &cs[i]) {
			sel = append(sel, &cs[i])
		}
	}
	// Latest activity first.
	slices.SortStableFunc(sel, func(a, b *store.Conversation) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	contacts := map[string]store.Contact{}
	contact := func(id string) (store.Contact, error) {
		if c, ok := contacts[id]; ok {
			return c, nil
		}
		c, err := s.desk.Contact(ctx, id)
		contacts[id] = c
		return c, err
	}
	if needle := strings.ToLower(strings.TrimSpace(q.Search)); needle != "" {
		kept := sel[:0]
		for _, c := range sel {
			ct, err := contact(c.ContactID)
			if err != nil {
				return inboxList{}, err
			}
			if strings.Contains(strings.ToLower(contactName(ct)+" "+ct.Phone+" "+ct.ProfileName), needle) {
				kept = append(kept, c)
			}
		}
		sel = kept
	}
	out.Total = len(sel)
	lo := min(q.Offset, len(sel))
	hi := min(lo+q.Limit, len(sel))
	for _, c := range sel[lo:hi] {
		ct, err := contact(c.ContactID)
		if err != nil {
			return inboxList{}, err
		}
		row := convRow{Conversation: *c, Contact: ct}
		if ms, err := s.desk.Messages(ctx, c.ID); err == nil && len(ms) > 0 {
			row.Preview = preview(ms[len(ms)-1])
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
