package livedesk_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

// TestSignatureSDKParityThroughHandler: a desk whose PublicURL has a
// non-default port accepts webhooks Twilio signed without the port, as
// Twilio's SDKs do, and still refuses a wrong token (issue 13, defect 8).
func TestSignatureSDKParityThroughHandler(t *testing.T) {
	cases := []struct {
		name, publicURL, signedBase string
		wrongToken                  bool
		want                        int
	}{
		{"port 8443, signed without it", "https://desk.example.com:8443/livedesk", "https://desk.example.com/livedesk", false, 200},
		{"port 8443, signed with it", "https://desk.example.com:8443/livedesk", "https://desk.example.com:8443/livedesk", false, 200},
		{"port 8443, signed without it, wrong token", "https://desk.example.com:8443/livedesk", "https://desk.example.com/livedesk", true, 403},
		{"host configured in capitals, signed normalised", "https://Desk.Example.com/livedesk", "https://desk.example.com/livedesk", false, 200},
		{"signed over another port", "https://desk.example.com:8443/livedesk", "https://desk.example.com:9443/livedesk", false, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := livedesk.New(livedesk.Options{PublicURL: c.publicURL, Store: memstore.New(), SkipTwilioChecks: true})
			require.NoError(t, err)
			ch, err := d.CreateChannel(t.Context(), livedesktest.TestChannel())
			require.NoError(t, err)
			signer := ch
			if c.wrongToken {
				signer.Twilio.AuthToken = "fedcba9876543210fedcba9876543210"
			}
			hook := d.WebhookURL(ch.ID)
			signed := c.signedBase + "/twilio/" + ch.ID
			require.True(t, strings.HasSuffix(hook, "/twilio/"+ch.ID))
			req := livedesktest.NewRequest(signer, signed, hook, livedesktest.Message{Body: "hi"}.Form(ch))
			w := httptest.NewRecorder()
			d.Handler().ServeHTTP(w, req)
			require.Equal(t, c.want, w.Code, w.Body.String())
			if c.want == http.StatusOK {
				convs, err := d.Conversations(t.Context(), store.ConversationFilter{ChannelID: ch.ID})
				require.NoError(t, err)
				require.Len(t, convs, 1)
			}
		})
	}
}
