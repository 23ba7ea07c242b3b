package twilio

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
)

func TestWhatsAppApprovalReadsBothShapes(t *testing.T) {
	want := channel.Approval{Name: "order_update", Category: "UTILITY", Status: "approved"}
	flat := map[string]any{"name": "order_update", "category": "UTILITY", "status": "approved", "rejection_reason": ""}
	require.Equal(t, want, whatsAppApproval(flat))
	nested := map[string]any{"whatsapp": map[string]any{"name": "order_update", "category": "UTILITY", "status": "approved", "type": "whatsapp"}}
	require.Equal(t, want, whatsAppApproval(nested))
	require.Equal(t, channel.Approval{}, whatsAppApproval(map[string]any{}))
}

func TestPlanWebhook(t *testing.T) {
	const ours, theirs = "https://desk.example.com/livedesk/twilio/ch1", "https://old.example.com/hook"
	tests := []struct {
		name              string
		oldURL, oldMethod string
		overwrite         bool
		want              channel.WebhookAction
	}{
		{"nothing set", "", "", false, channel.WebhookSet},
		{"already ours", ours, "POST", false, channel.WebhookUnchanged},
		{"ours, method unset: Twilio's default POST", ours, "", false, channel.WebhookUnchanged},
		{"ours with GET: fixed without Overwrite", ours, "get", false, channel.WebhookReplaced},
		{"another URL", theirs, "POST", false, channel.WebhookRefused},
		{"another URL, Overwrite", theirs, "POST", true, channel.WebhookReplaced},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := plan("r", tt.oldURL, tt.oldMethod, channel.WebhookRequest{URL: ours, Overwrite: tt.overwrite})
			require.Equal(t, tt.want, c.Action)
			if tt.want == channel.WebhookRefused {
				require.Equal(t, theirs, c.NewURL, "a refusal leaves the URL in place")
				require.False(t, apply(c))
				require.Equal(t, "r: left at POST "+theirs+": a different URL is set, pass Overwrite to replace it", c.String())
			}
			dry := plan("r", tt.oldURL, tt.oldMethod, channel.WebhookRequest{URL: ours, Overwrite: tt.overwrite, DryRun: true})
			require.False(t, apply(dry), "a dry run never applies")
		})
	}
}
