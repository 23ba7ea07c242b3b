package console

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
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
	m.HandleFunc("POST /inbox/{id}/note", c.note)
	m.HandleFunc("POST /inbox/{id}/labels", c.label)
	// Inbound media, fetched from Twilio with the channel's credentials,
	// for signed-in users only.
	m.Handle("GET /media/", http.StripPrefix("/media", c.opts.Desk.MediaHandler(0)))
}

// inboxData is the inbox page: the list, and the open conversation if any.
type inboxData struct {
	Query    inboxQuery
	QS       template.URL // the list's query string, kept across actions
	Views    []struct{ Key, Label string }
	Channels []channel.Channel
	Teams    []string
	List     inboxList
	First    template.URL // query string of the first page, "" on it
	Next     template.URL // query string of the next page, "" on the last
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
	// TemplatesNote says why no template is offered when they could not
	// be listed.
	TemplatesNote string
	Labels        []string
	CanReply      bool
	CanNote       bool
	QS            template.URL
}

func (c *Console) query(r *http.Request) inboxQuery {
	v := r.URL.Query()
	q := inboxQuery{View: v.Get("view"), ChannelID: v.Get("channel"), Team: v.Get("team"), Label: v.Get("label"),
		Search: v.Get("q"), Resolved: v.Get("status") == "resolved", Cursor: v.Get("after"),
		AgentID: info(r).user.AgentID, Limit: c.opts.PageSize}
	switch q.View {
	case "mine", "unassigned", "queued", "all":
	default:
		q.View = "all"
		if q.AgentID != "" {
			q.View = "mine"
		}
	}
	return q
}

// values is the query string of q's page after cursor ("" for the first).
// It is built by url.Values, so templates may put it in a URL as is.
func (q inboxQuery) values(cursor string) template.URL {
	v := url.Values{}
	v.Set("view", q.View)
	for k, x := range map[string]string{"channel": q.ChannelID, "team": q.Team, "label": q.Label, "q": q.Search, "after": cursor} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if q.Resolved {
		v.Set("status", "resolved")
	}
	return template.URL(v.Encode())
}

func (c *Console) inboxData(r *http.Request) (inboxData, error) {
	q := c.query(r)
	d := inboxData{Query: q, QS: q.values(q.Cursor), Views: inboxViews}
	var err error
	if d.Channels, err = c.opts.Desk.Channels(r.Context()); err != nil {
		return d, err
	}
	if d.Teams, err = c.teams(r); err != nil {
		return d, err
	}
	if d.List, err = c.conv.list(r.Context(), q); err != nil {
		if errors.Is(err, livedesk.ErrInvalid) {
			d.List = inboxList{}
			return d, nil // a bad search or cursor lists nothing
		}
		return d, err
	}
	if q.Cursor != "" {
		d.First = q.values("")
	}
	if d.List.Next != "" {
		d.Next = q.values(d.List.Next)
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

// teams lists the agents' teams, for the queue picker.
func (c *Console) teams(r *http.Request) ([]string, error) {
	as, err := c.opts.Desk.Agents(r.Context())
	if err != nil {
		return nil, err
	}
	var ts []string
	for _, a := range as {
		for _, t := range a.Teams {
			if !slices.Contains(ts, t) {
				ts = append(ts, t)
			}
		}
	}
	slices.Sort(ts)
	return ts, nil
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
	c.render(w, r, "inbox", http.StatusOK, page{Title: title, Nav: "inbox", Live: true, Data: d,
		Error: c.message(r, "error")})
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
	ms, err := c.timeline(ctx, id)
	if err != nil {
		return nil, err
	}
	labels, err := c.opts.Desk.Labels(ctx, id)
	if err != nil {
		return nil, err
	}
	agents, err := c.opts.Desk.Agents(ctx)
	if err != nil {
		return nil, err
	}
	t := &threadData{Conv: conv, Contact: ct, Who: contactName(ct), Window: c.window(ct), Agents: agents,
		Labels: labels, CanNote: info(r).user.AgentID != "",
		CanReply: info(r).user.AgentID != "" && conv.Status == store.StatusOpen, QS: c.query(r).values(c.query(r).Cursor)}
	if ch, err := c.opts.Desk.Channel(ctx, conv.ChannelID); err == nil {
		t.Channel = ch.Name
	}
	if t.CanReply && !t.Window.Open {
		t.Templates, t.TemplatesNote = c.pickerTemplates(ctx, conv.ChannelID)
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
			errors.Is(err, livedesk.ErrInvalid) ||
			errors.Is(err, livedesk.ErrBadMessage) || errors.Is(err, store.ErrAssigned) || errors.Is(err, store.ErrAgentFull) {
			http.Redirect(w, r, c.base+path+"&"+c.signed("error", msg), http.StatusSeeOther)
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

// note adds an internal note by the user's agent: the team sees it in the
// timeline; the customer never does.
func (c *Console) note(w http.ResponseWriter, r *http.Request) {
	me := info(r).user.AgentID
	if me == "" {
		c.act(w, r, "", fmt.Errorf("%w: your user is not linked to a desk agent", livedesk.ErrInvalid))
		return
	}
	_, err := c.opts.Desk.AddNote(r.Context(), r.PathValue("id"), livedesk.Note{AgentID: me, Text: strings.TrimSpace(r.PostFormValue("text"))})
	c.act(w, r, "Note added.", err)
}

// label puts a label on a conversation or takes one off.
func (c *Console) label(w http.ResponseWriter, r *http.Request) {
	id, name := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("label"))
	if r.PostFormValue("op") == "remove" {
		c.act(w, r, "Label removed.", c.opts.Desk.RemoveLabel(r.Context(), id, name))
		return
	}
	c.act(w, r, "Label added.", c.opts.Desk.AddLabel(r.Context(), id, strings.ToLower(name)))
}
