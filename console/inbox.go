package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

func (c *Console) inboxRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /inbox", c.inboxPage)
	m.HandleFunc("GET /inbox/list", c.inboxListFragment)
	m.HandleFunc("GET /inbox/{id}", c.inboxPage)
	m.HandleFunc("GET /inbox/{id}/thread", c.threadFragment)
	m.HandleFunc("POST /inbox/{id}/reply", c.reply)
	m.HandleFunc("POST /inbox/{id}/assign", c.assign)
	m.HandleFunc("POST /inbox/{id}/resolve", c.resolve)
	m.HandleFunc("POST /inbox/{id}/reopen", c.reopen)
}

// inboxData is the inbox page: the list, and the open conversation if any.
type inboxData struct {
	Query    inboxQuery
	QS       string // the list's query string, kept across actions
	Views    []struct{ Key, Label string }
	Channels []channel.Channel
	List     inboxList
	Prev     string // query strings of the neighbouring pages, "" at the ends
	Next     string
	Thread   *threadData
	Compose  string // a reply that failed, to type again
}

// threadData is one conversation's header, timeline and reply box.
type threadData struct {
	Conv      store.Conversation
	Contact   store.Contact
	Who       string
	Channel   string
	Messages  []messageView
	Window    windowState
	Agents    []store.Agent
	Templates []Template
	CanReply  bool
	QS        string
}

func (c *Console) query(r *http.Request) inboxQuery {
	v := r.URL.Query()
	q := inboxQuery{View: v.Get("view"), ChannelID: v.Get("channel"), Search: v.Get("q"), Resolved: v.Get("status") == "resolved",
		AgentID: info(r).user.AgentID, Limit: c.opts.PageSize}
	switch q.View {
	case "mine", "unassigned", "queued", "all":
	default:
		q.View = "all"
		if q.AgentID != "" {
			q.View = "mine"
		}
	}
	if n, err := strconv.Atoi(v.Get("offset")); err == nil && n > 0 {
		q.Offset = n
	}
	return q
}

func (q inboxQuery) values(offset int) string {
	v := url.Values{}
	v.Set("view", q.View)
	if q.ChannelID != "" {
		v.Set("channel", q.ChannelID)
	}
	if q.Search != "" {
		v.Set("q", q.Search)
	}
	if q.Resolved {
		v.Set("status", "resolved")
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	return v.Encode()
}

func (c *Console) inboxData(r *http.Request) (inboxData, error) {
	q := c.query(r)
	d := inboxData{Query: q, QS: q.values(q.Offset), Views: inboxViews}
	var err error
	if d.Channels, err = c.opts.Desk.Channels(r.Context()); err != nil {
		return d, err
	}
	if d.List, err = c.conv.list(r.Context(), q); err != nil {
		return d, err
	}
	if q.Offset > 0 {
		d.Prev = q.values(max(0, q.Offset-q.Limit))
	}
	if q.Offset+q.Limit < d.List.Total {
		d.Next = q.values(q.Offset + q.Limit)
	}
	names := map[string]string{}
	for _, ch := range d.Channels {
		names[ch.ID] = ch.Name
	}
	for i := range d.List.Rows {
		d.List.Rows[i].Channel = names[d.List.Rows[i].ChannelID]
	}
	return d, nil
}

func (c *Console) inboxPage(w http.ResponseWriter, r *http.Request) {
	d, err := c.inboxData(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if id := r.PathValue("id"); id != "" {
		t, err := c.thread(r, id)
		if errors.Is(err, livedesk.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		d.Thread = t
	}
	title := "Inbox"
	if d.Thread != nil {
		title = d.Thread.Who
	}
	c.render(w, r, "inbox", http.StatusOK, page{Title: title, Nav: "inbox", Live: c.opts.Events != nil, Data: d,
		Error: r.URL.Query().Get("error")})
}

func (c *Console) inboxListFragment(w http.ResponseWriter, r *http.Request) {
	d, err := c.inboxData(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.fragment(w, r, "inbox", "list", page{Data: d})
}

func (c *Console) threadFragment(w http.ResponseWriter, r *http.Request) {
	t, err := c.thread(r, r.PathValue("id"))
	if errors.Is(err, livedesk.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.fragment(w, r, "inbox", r.URL.Query().Get("part"), page{Data: inboxData{Thread: t}})
}

func (c *Console) thread(r *http.Request, id string) (*threadData, error) {
	ctx := r.Context()
	conv, err := c.opts.Desk.Conversation(ctx, id)
	if err != nil {
		return nil, err
	}
	ct, err := c.opts.Desk.Contact(ctx, conv.ContactID)
	if err != nil {
		return nil, err
	}
	ms, err := c.opts.Desk.Messages(ctx, id)
	if err != nil {
		return nil, err
	}
	agents, err := c.opts.Desk.Agents(ctx)
	if err != nil {
		return nil, err
	}
	t := &threadData{Conv: conv, Contact: ct, Who: contactName(ct), Window: c.window(ct), Agents: agents,
		Templates: c.opts.Templates, CanReply: info(r).user.AgentID != "" && conv.Status == store.StatusOpen,
		QS: c.query(r).values(c.query(r).Offset)}
	if ch, err := c.opts.Desk.Channel(ctx, conv.ChannelID); err == nil {
		t.Channel = ch.Name
	}
	names := map[string]string{}
	for _, a := range agents {
		names[a.ID] = a.Name
	}
	for _, m := range ms {
		t.Messages = append(t.Messages, c.messageView(m, names))
	}
	return t, nil
}

// act runs a conversation action and goes back to the conversation.
func (c *Console) act(w http.ResponseWriter, r *http.Request, flash string, err error) {
	id := r.PathValue("id")
	qs := r.PostFormValue("qs")
	if _, perr := url.ParseQuery(qs); perr != nil {
		qs = ""
	}
	path := "/inbox/" + url.PathEscape(id) + "?" + qs
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "livedesk: ")
		if errors.Is(err, livedesk.ErrNotFound) || errors.Is(err, livedesk.ErrNotOpen) || errors.Is(err, livedesk.ErrOutsideWindow) ||
			errors.Is(err, livedesk.ErrBadMessage) || errors.Is(err, store.ErrAssigned) || errors.Is(err, store.ErrAgentFull) {
			http.Redirect(w, r, c.base+path+"&error="+url.QueryEscape(msg), http.StatusSeeOther)
			return
		}
		c.fail(w, r, err)
		return
	}
	c.back(w, r, path, flash)
}

func (c *Console) reply(w http.ResponseWriter, r *http.Request) {
	me := info(r).user.AgentID
	if me == "" {
		c.act(w, r, "", livedesk.ErrBadMessage)
		return
	}
	out := livedesk.Outgoing{AgentID: me, Text: strings.TrimSpace(r.PostFormValue("text"))}
	if sid := r.PostFormValue("template"); sid != "" {
		out = livedesk.Outgoing{AgentID: me, ContentSID: sid}
	}
	_, err := c.opts.Desk.Send(r.Context(), r.PathValue("id"), out)
	c.act(w, r, "", err)
}

func (c *Console) assign(w http.ResponseWriter, r *http.Request) {
	id, agent := r.PathValue("id"), r.PostFormValue("agent")
	if agent == "me" {
		agent = info(r).user.AgentID
	}
	var err error
	flash := "Unassigned."
	if agent == "" {
		_, err = c.opts.Desk.Unassign(r.Context(), id)
	} else {
		_, err = c.opts.Desk.Assign(r.Context(), id, agent)
		flash = "Assigned to " + agent + "."
	}
	c.act(w, r, flash, err)
}

func (c *Console) resolve(w http.ResponseWriter, r *http.Request) {
	_, err := c.opts.Desk.Resolve(r.Context(), r.PathValue("id"))
	c.act(w, r, "Resolved.", err)
}

func (c *Console) reopen(w http.ResponseWriter, r *http.Request) {
	_, err := c.opts.Desk.Reopen(r.Context(), r.PathValue("id"))
	c.act(w, r, "Reopened.", err)
}
