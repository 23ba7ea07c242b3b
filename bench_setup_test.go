package livedesk_test

import (
	"fmt"
	"testing"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
)

// BenchmarkSendTemplateCheck: Send with a TemplateSID checked against a
// cached list of 100 templates (the first Send lists them), against the
// same Send of a ContentSID inside the window, which is not checked.
func BenchmarkSendTemplateCheck(b *testing.B) {
	for _, checked := range []bool{false, true} {
		b.Run(fmt.Sprintf("checked=%v", checked), func(b *testing.B) {
			h := livedesktest.New(b)
			ch := h.AddChannel()
			var sid string
			for i := range 100 {
				t := h.Twilio.AddTemplate(livedesktest.Template{AccountSID: ch.Twilio.AccountSID, FriendlyName: fmt.Sprint("t", i), Status: "approved"})
				sid = t.SID // the last one: the whole list is scanned
			}
			h.Post(ch, livedesktest.Message{Body: "hello"})
			conv := h.RequireConversations(ch.ID, 1)[0]
			out := livedesk.Outgoing{AgentID: "a1", ContentSID: sid}
			if checked {
				out = livedesk.Outgoing{AgentID: "a1", Text: "hi", TemplateSID: sid}
			}
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.Send(ctx, conv.ID, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
