package twilio

import (
	"context"
	"fmt"
	"sort"

	"github.com/livedesk/livedesk/channel"
	contentv1 "github.com/twilio/twilio-go/rest/content/v1"
)

// Templates lists the Content templates of the channel's account with
// their WhatsApp approval (GET content.twilio.com/v1/ContentAndApprovals,
// every page). It does not cache: the desk does (Desk.Templates).
func (m *Messenger) Templates(ctx context.Context, ch channel.Channel) ([]channel.Template, error) {
	s, err := m.channelSession(ctx, ch.Twilio)
	if err != nil {
		return nil, err
	}
	list, err := s.content().ListContentAndApprovals((&contentv1.ListContentAndApprovalsParams{}).SetPageSize(100))
	if err != nil {
		return nil, s.fail("list Content templates", err)
	}
	out := make([]channel.Template, 0, len(list))
	for _, c := range list {
		t := channel.Template{SID: deref(c.Sid), Name: deref(c.FriendlyName), Language: deref(c.Language)}
		if c.Types != nil {
			for k := range *c.Types {
				t.Types = append(t.Types, k)
			}
			sort.Strings(t.Types)
		}
		if c.Variables != nil && len(*c.Variables) > 0 {
			t.Variables = make(map[string]string, len(*c.Variables))
			for k, v := range *c.Variables {
				t.Variables[k] = fmt.Sprint(v)
			}
		}
		if c.ApprovalRequests != nil {
			t.WhatsApp = whatsAppApproval(*c.ApprovalRequests)
		}
		out = append(out, t)
	}
	return out, nil
}

// whatsAppApproval reads approval_requests. Twilio's generated fixtures
// show the WhatsApp approval's fields directly in it, and its approval
// fetch endpoint nests them under "whatsapp"; both are accepted.
func whatsAppApproval(m map[string]any) channel.Approval {
	if w, ok := m["whatsapp"].(map[string]any); ok {
		m = w
	}
	str := func(k string) string {
		s, _ := m[k].(string)
		return s
	}
	return channel.Approval{Name: str("name"), Category: str("category"), Status: str("status"), RejectionReason: str("rejection_reason")}
}
