package main

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/livedesk/livedesk"
)

// home is the demo's start page: links into the console and a form to
// write to the desk as a customer.
func (d *demo) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = homePage.Execute(w, map[string]any{"Channels": []any{d.support, d.ventas}, "Spare": spare.Twilio, "SpareService": spareServiceSID})
}

// simulate posts a signed webhook, as Twilio would for a customer's
// message, then goes back to the console's inbox.
func (d *demo) simulate(w http.ResponseWriter, r *http.Request) {
	ch := d.support
	if r.PostFormValue("channel") == d.ventas.ID {
		ch = d.ventas
	}
	from := strings.TrimSpace(r.PostFormValue("from"))
	if from == "" {
		from = "+14155550999"
	}
	if _, err := d.post(ch, from, strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("text")); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/?sent="+url.QueryEscape(from), http.StatusSeeOther)
}

// localize points a request built for the public URL at the handler itself.
func localize(r *http.Request) *http.Request {
	r.RequestURI = r.URL.RequestURI()
	return r
}

var homePage = template.Must(template.New("home").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>LiveDesk demo</title>
<link rel="stylesheet" href="/console/assets/console.css"></head><body><main class="narrow">
<div class="card"><h1>LiveDesk console demo</h1>
<p>Open the console as <a href="/as/admin">Léa (admin)</a> or <a href="/as/agent">Paul (agent)</a>.
Keep the inbox open in another tab and write as a customer below: the message appears there at once.</p></div>
<form class="card form" method="post" action="/simulate"><h2>Write as a customer</h2>
<div class="field"><label>Channel</label><select name="channel">{{range .Channels}}<option value="{{.ID}}">{{.Name}}</option>{{end}}</select></div>
<div class="field"><label>Phone</label><input name="from" value="+14155550999"></div>
<div class="field"><label>Name</label><input name="name" value="Charlie"></div>
<div class="field"><label>Message</label><textarea name="text" rows="2">Hello! Is anyone there?</textarea></div>
<button class="btn primary">Send WhatsApp message</button></form>
<div class="card" id="spare-account"><h2>Add a channel</h2>
<p>The desk checks a new channel's credentials with Twilio (here, the demo's fake Twilio API). It knows this account,
so <a href="/console/channels/new">Add WhatsApp channel</a> accepts it; any other token or number is refused, as Twilio would.</p>
<p class="small">Account SID <code>{{.Spare.AccountSID}}</code><br>Auth Token <code>{{.Spare.AuthToken.Reveal}}</code><br>
WhatsApp number <code>{{.Spare.PhoneNumber}}</code><br>or Messaging Service SID <code>{{.SpareService}}</code></p></div>
</main></body></html>`))

// faqBot is the demo's AI agent: it answers one question and hands off
// the rest. A real one is ai/openai's GPT agent.
func faqBot() livedesk.AIAgent {
	return livedesk.AIAgentFunc(func(_ context.Context, r livedesk.AIRequest) (livedesk.AIResponse, error) {
		if strings.Contains(strings.ToLower(r.Message.Text), "ship") {
			return livedesk.AIResponse{Text: "We ship to the UK, Ireland and the EU in 2 to 4 days."}, nil
		}
		return livedesk.AIResponse{Text: "Let me find a colleague for you.", Handoff: true, Reason: "not an FAQ"}, nil
	})
}
