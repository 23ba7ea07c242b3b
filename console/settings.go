package console

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

func (c *Console) settingsRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /channels/{id}", c.admin(c.settingsPage))
	m.HandleFunc("POST /channels/{id}/general", c.admin(c.updateChannel(applyGeneral)))
	m.HandleFunc("POST /channels/{id}/credentials", c.admin(c.updateChannel(applyCredentials)))
	m.HandleFunc("POST /channels/{id}/assignment", c.admin(c.updateChannel(applyAssignment)))
	m.HandleFunc("POST /channels/{id}/hours", c.admin(c.updateChannel(applyHours)))
	m.HandleFunc("POST /channels/{id}/rules", c.admin(c.updateChannel(applyRule)))
	m.HandleFunc("POST /channels/{id}/rules/move", c.admin(c.updateChannel(applyRuleMove)))
	m.HandleFunc("POST /channels/{id}/rules/delete", c.admin(c.updateChannel(applyRuleDelete)))
	m.HandleFunc("POST /channels/{id}/agents", c.admin(c.memberChange))
	m.HandleFunc("POST /channels/{id}/ai", c.admin(c.aiChange))
}

// settingsData is the channel settings page.
type settingsData struct {
	Channel   channel.Channel
	Webhook   string
	CSAT      csat.Config // with defaults, for placeholders
	Members   []store.Agent
	Others    []store.Agent // agents not on the channel
	AIAgents  []aiRow
	Rules     []ruleRow
	EditRule  ruleRow // the rule in the editor; Index -1 for a new one
	Days      []dayRow
	Holidays  []holidayRow
	TimeZones []string
	Section   string // the section the last action was in, to scroll to
}

type aiRow struct {
	ID                 string
	OnChannel, Enabled bool
}

// settingsPage shows the stored channel; ?rule=N opens rule N in the editor.
func (c *Console) settingsPage(w http.ResponseWriter, r *http.Request) {
	ch, err := c.opts.Desk.Channel(r.Context(), r.PathValue("id"))
	if errors.Is(err, livedesk.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	edit := -1
	if s := r.URL.Query().Get("rule"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < len(ch.Settings.Assignment.Rules) {
			edit = n
		}
	}
	c.showSettings(w, r, http.StatusOK, ch, edit, page{})
}

// showSettings renders the settings page for ch (stored, or as the user
// edited it when it did not validate).
func (c *Console) showSettings(w http.ResponseWriter, r *http.Request, code int, ch channel.Channel, edit int, p page) {
	d, err := c.settingsData(r.Context(), ch, edit)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if p.Error != "" || p.errors != nil {
		d.Section = r.PostFormValue("section")
	}
	p.Title, p.Nav, p.Data = ch.Name+" settings", "channels", d
	c.render(w, r, "settings", code, p)
}

func (c *Console) settingsData(ctx context.Context, ch channel.Channel, edit int) (settingsData, error) {
	agents, err := c.opts.Desk.Agents(ctx)
	if err != nil {
		return settingsData{}, err
	}
	d := settingsData{Channel: ch, Webhook: c.opts.Desk.WebhookURL(ch.ID), CSAT: ch.Settings.CSAT.WithDefaults(),
		TimeZones: timeZones, EditRule: ruleRow{Index: -1, TargetKind: string(routing.TargetTeam)}}
	for _, a := range agents {
		if ch.Settings.Assignment.HasAgent(a.ID) {
			d.Members = append(d.Members, a)
		} else {
			d.Others = append(d.Others, a)
		}
	}
	ids := slices.Clone(c.opts.AIAgents)
	for _, ref := range ch.Settings.Assignment.AIAgents {
		if !slices.Contains(ids, ref.ID) {
			ids = append(ids, ref.ID)
		}
	}
	for _, id := range ids {
		row := aiRow{ID: id}
		for _, ref := range ch.Settings.Assignment.AIAgents {
			if ref.ID == id {
				row.OnChannel, row.Enabled = true, ref.Enabled
			}
		}
		d.AIAgents = append(d.AIAgents, row)
	}
	for i, rule := range ch.Settings.Assignment.Rules {
		row := newRuleRow(i, rule)
		d.Rules = append(d.Rules, row)
		if i == edit {
			d.EditRule = row
		}
	}
	d.Days = dayRows(ch.Settings.BusinessHours)
	d.Holidays = holidayRows(ch.Settings.BusinessHours)
	return d, nil
}

// applyFunc changes a channel from a form; an error is shown at the top of
// the form (a *channel.ValidationError next to its fields). edit is the
// rule to keep open in the editor after a failure.
type applyFunc func(r *http.Request, ch *channel.Channel) (flash string, edit int, err error)

// updateChannel runs one settings form: read the channel, apply the form to
// it, and store it with a compare-and-swap on the version the user saw.
func (c *Console) updateChannel(apply applyFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		ch, err := c.opts.Desk.Channel(r.Context(), id)
		if errors.Is(err, livedesk.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		seen, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		if err != nil {
			c.showSettings(w, r, http.StatusBadRequest, ch, -1, page{Error: "The form has no channel version; reload the page."})
			return
		}
		edited := ch
		edited.Settings = cloneSettings(ch.Settings)
		edited.Version = seen
		flash, edit, err := apply(r, &edited)
		if err == nil {
			_, err = c.opts.Desk.UpdateChannel(r.Context(), edited)
		}
		section := r.PostFormValue("section")
		switch {
		case err == nil:
			c.back(w, r, "/channels/"+id+"#"+section, flash)
		case errors.Is(err, livedesk.ErrTwilioUnreachable):
			c.showSettings(w, r, http.StatusServiceUnavailable, edited, edit, page{Error: "Not saved: could not reach Twilio to check the credentials, try again."})
		case errors.Is(err, livedesk.ErrConflict):
			c.showSettings(w, r, http.StatusConflict, ch, -1, page{Error: "Someone else changed this channel since you opened the page. " +
				"Their changes are shown below; make yours again."})
		default:
			if fe, ok := problemsOf(err, edited.Twilio.Mode()); ok {
				c.showSettings(w, r, http.StatusUnprocessableEntity, edited, edit, page{errors: fe,
					Error: "Not saved: please fix the fields marked below." + prefixed(fe[""])})
				return
			}
			var fe formError
			if errors.As(err, &fe) {
				c.showSettings(w, r, http.StatusUnprocessableEntity, edited, edit, page{errors: fieldErrors{fe.field: fe.msg},
					Error: "Not saved: " + fe.msg})
				return
			}
			c.fail(w, r, err)
		}
	}
}

// formError is a problem found while reading a form, before validation.
type formError struct{ field, msg string }

func (e formError) Error() string { return e.msg }

// cloneSettings deep-copies what the forms change, so a failed edit never
// touches the stored value.
func cloneSettings(s channel.Settings) channel.Settings {
	b, _ := json.Marshal(s)
	var out channel.Settings
	if err := json.Unmarshal(b, &out); err != nil {
		return s
	}
	return out
}

func applyGeneral(r *http.Request, ch *channel.Channel) (string, int, error) {
	ch.Name = strings.TrimSpace(r.PostFormValue("name"))
	ch.Settings.Greeting = channel.Greeting{Enabled: r.PostFormValue("greeting") == "on", Text: strings.TrimSpace(r.PostFormValue("greeting_text"))}
	cfg := &ch.Settings.CSAT
	cfg.Enabled = r.PostFormValue("csat") == "on"
	cfg.SurveyText = strings.TrimSpace(r.PostFormValue("survey_text"))
	cfg.ThankYouText = strings.TrimSpace(r.PostFormValue("thank_you_text"))
	cfg.CommentRequest = strings.TrimSpace(r.PostFormValue("comment_request"))
	cfg.TemplateContentSID = strings.TrimSpace(r.PostFormValue("template_content_sid"))
	cfg.Trigger = csat.Trigger(r.PostFormValue("trigger"))
	return "Greeting and CSAT saved.", -1, nil
}

// applyCredentials replaces only the credentials typed in; an empty field
// keeps the stored value (they are write-only and never shown).
func applyCredentials(r *http.Request, ch *channel.Channel) (string, int, error) {
	if v := strings.TrimSpace(r.PostFormValue("account_sid")); v != "" {
		ch.Twilio.AccountSID = v
	}
	if v := strings.TrimSpace(r.PostFormValue("auth_token")); v != "" {
		ch.Twilio.AuthToken = channel.Secret(v)
	}
	if v := strings.TrimSpace(r.PostFormValue("secondary_auth_token")); v != "" {
		ch.Twilio.SecondaryAuthToken = channel.Secret(v)
	}
	if r.PostFormValue("clear_secondary") == "on" {
		ch.Twilio.SecondaryAuthToken = ""
	}
	return "Credentials saved.", -1, nil
}

func applyAssignment(r *http.Request, ch *channel.Channel) (string, int, error) {
	a := &ch.Settings.Assignment
	a.Strategy = routing.Strategy(r.PostFormValue("strategy"))
	a.Sticky = r.PostFormValue("sticky") == "on"
	a.RequeueOffline = r.PostFormValue("requeue_offline") == "on"
	a.AutoMessagesWithAI = r.PostFormValue("auto_messages_with_ai") == "on"
	return "Assignment saved.", -1, nil
}

// memberChange adds or removes a human agent (one atomic store change,
// not part of the versioned settings).
func (c *Console) memberChange(w http.ResponseWriter, r *http.Request) {
	id, agent := r.PathValue("id"), r.PostFormValue("agent")
	var err error
	flash := "Agent added."
	if r.PostFormValue("op") == "remove" {
		err, flash = c.opts.Desk.RemoveAgent(r.Context(), id, agent), "Agent removed."
	} else {
		err = c.opts.Desk.AddAgent(r.Context(), id, agent)
	}
	c.afterMember(w, r, err, flash)
}

// aiChange adds, enables, disables or removes an AI agent on a channel.
func (c *Console) aiChange(w http.ResponseWriter, r *http.Request) {
	id, ai := r.PathValue("id"), r.PostFormValue("ai")
	var err error
	flash := "AI agent " + ai + " enabled."
	switch r.PostFormValue("op") {
	case "enable":
		err = c.opts.Desk.AddAIAgent(r.Context(), id, ai, true)
	case "disable":
		err, flash = c.opts.Desk.AddAIAgent(r.Context(), id, ai, false), "AI agent "+ai+" disabled."
	case "remove":
		err, flash = c.opts.Desk.RemoveAIAgent(r.Context(), id, ai), "AI agent "+ai+" removed."
	default:
		err = formError{"ai", "unknown operation"}
	}
	c.afterMember(w, r, err, flash)
}

func (c *Console) afterMember(w http.ResponseWriter, r *http.Request, err error, flash string) {
	id := r.PathValue("id")
	if err == nil {
		c.back(w, r, "/channels/"+id+"#assignment", flash)
		return
	}
	ch, rerr := c.opts.Desk.Channel(r.Context(), id)
	if rerr != nil {
		c.fail(w, r, rerr)
		return
	}
	c.showSettings(w, r, http.StatusUnprocessableEntity, ch, -1, page{Error: "Not changed: " + strings.TrimPrefix(err.Error(), "livedesk: ")})
}
