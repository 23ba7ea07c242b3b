package console

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/livedesk/livedesk/store"
)

// messageView is one entry of a conversation's timeline.
type messageView struct {
	ID       string
	In       bool
	Note     bool   // an internal note: for the team, never sent
	Auto     bool   // sent by the desk (greeting, out-of-office, survey)
	Label    string // who or what wrote it
	Text     string
	When     string
	Status   string // delivery status of an outbound message
	Ticks    string // ✓ sent, ✓✓ delivered or read
	Failed   bool
	Error    string
	Media    []mediaView
	Location string
	Template string
}

type mediaView struct {
	URL, Type, Name string
	Image           bool
}

var kindLabels = map[store.Kind]string{
	store.KindGreeting:    "Greeting",
	store.KindOutOfOffice: "Out-of-office",
	store.KindSurvey:      "CSAT survey",
	store.KindSurveyReply: "CSAT",
	store.KindAI:          "AI agent",
}

func (c *Console) messageView(m store.Message, agents map[string]string) messageView {
	v := messageView{ID: m.ID, In: m.Direction == store.Inbound, Text: m.Text, When: c.when(m.CreatedAt)}
	if m.Direction == store.Internal {
		v.Note, v.Label = true, "Note · "+or(agents[m.AuthorID], m.AuthorID)
		return v
	}
	if v.In {
		if in := m.Inbound; in != nil {
			for i, md := range in.Media {
				// Served by the desk's media handler under the console:
				// Twilio's URLs need the channel's credentials.
				v.Media = append(v.Media, mediaView{URL: c.url("/media/%s/%d", url.PathEscape(m.ID), i), Type: md.ContentType,
					Name: path.Base(md.URL), Image: strings.HasPrefix(md.ContentType, "image/") && md.ContentType != "image/svg+xml"})
			}
			if in.Location != nil {
				v.Location = fmt.Sprintf("%.5f, %.5f", in.Location.Latitude, in.Location.Longitude)
			}
			if v.Text == "" && in.ButtonText != "" {
				v.Text = in.ButtonText
			}
		}
		if m.SurveyID != "" {
			v.Label = "Survey answer"
		}
		return v
	}
	v.Label, v.Auto = kindLabels[m.Kind], m.Kind != store.KindReply
	if m.Kind == store.KindReply {
		v.Label = or(agents[m.AuthorID], m.AuthorID)
	} else if m.Kind == store.KindAI && m.AuthorID != "" {
		v.Label = "AI · " + m.AuthorID
	}
	for _, u := range m.MediaURLs {
		v.Media = append(v.Media, mediaView{URL: u, Name: path.Base(u)})
	}
	if m.ContentSID != "" {
		v.Template = m.ContentSID
	}
	v.Status = statusText(m.Status)
	switch m.Status {
	case store.DeliverySent:
		v.Ticks = "✓"
	case store.DeliveryDelivered:
		v.Ticks = "✓✓"
	case store.DeliveryRead:
		v.Ticks = "✓✓ read"
	case store.DeliveryFailed, store.DeliveryUndelivered, store.DeliveryCanceled:
		v.Failed = true
		v.Error = m.Error
		if m.ErrorCode != 0 {
			v.Error = fmt.Sprintf("%s (Twilio %d)", m.Error, m.ErrorCode)
		}
	}
	return v
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func statusText(s store.DeliveryStatus) string {
	switch s {
	case store.DeliveryPending, store.DeliverySending:
		return "sending"
	case store.DeliveryAccepted, store.DeliveryScheduled, store.DeliveryQueued, store.DeliveryTwilioSend:
		return "queued at Twilio"
	}
	return string(s)
}
