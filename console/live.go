package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/livedesk/livedesk"
)

// liveTypes are the events that change what the inbox shows: its pages
// listen for these on the desk's event stream and re-read the fragments
// of the conversations they name.
var liveTypes = []livedesk.EventType{
	livedesk.EventMessageReceived, livedesk.EventConversationOpened, livedesk.EventMessageQueued,
	livedesk.EventMessageSent, livedesk.EventMessageFailed, livedesk.EventMessageRetrying, livedesk.EventDeliveryStatus,
	livedesk.EventAssigned, livedesk.EventQueued, livedesk.EventUnassigned, livedesk.EventHandedOff, livedesk.EventAIReplied,
	livedesk.EventResolved, livedesk.EventReopened, livedesk.EventSurveySent, livedesk.EventSurveyAnswered,
	livedesk.EventSurveyCommented, livedesk.EventContactUpdated, livedesk.EventNoteAdded,
	livedesk.EventLabeled, livedesk.EventUnlabeled,
}

// liveTypeList is liveTypes for the stream's "type" parameter and the
// page's data-live-types attribute.
func liveTypeList() string {
	s := make([]string, len(liveTypes))
	for i, t := range liveTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

// serveEvents streams the desk's durable event feed (livedesk's
// EventStream: Server-Sent Events, resumed with Last-Event-ID after a
// reconnect, and fed by every process sharing the store) to a signed-in
// page. The console sets the filter itself: the inbox's event types, and
// nothing a client could widen.
func (c *Console) serveEvents(w http.ResponseWriter, r *http.Request) {
	q := url.Values{"type": {liveTypeList()}}
	if a := r.URL.Query().Get("after"); a != "" {
		q.Set("after", a)
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	c.stream.ServeHTTP(w, r2)
}
