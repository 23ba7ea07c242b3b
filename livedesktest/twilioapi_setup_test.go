package livedesktest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/livedesktest"
)

// get sends an authenticated GET through the fake's client and decodes
// the JSON answer.
func get(t *testing.T, api *livedesktest.TwilioAPI, target, user string, pass string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	require.NoError(t, err)
	req.SetBasicAuth(user, pass)
	resp, err := api.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func TestTwilioAPISetUpEndpointsCheckAuthAndAccount(t *testing.T) {
	api := newFakeAPI(t)
	api.SetAuthToken(apiOther, "othertoken0123456789abcdef012345")
	api.AddMessagingService(apiOther, apiService)
	api.AddWhatsAppSender(apiOther, "+14155550123")

	status, body := get(t, api, "https://api.twilio.com/2010-04-01/Accounts/"+apiAccount+".json", apiAccount, "wrong")
	require.Equal(t, 401, status)
	require.EqualValues(t, 20003, body["code"])

	status, body = get(t, api, "https://api.twilio.com/2010-04-01/Accounts/"+apiAccount+".json", apiAccount, string(apiToken))
	require.Equal(t, 200, status)
	require.Equal(t, "active", body["status"])

	status, _ = get(t, api, "https://messaging.twilio.com/v1/Services/"+apiService, apiAccount, string(apiToken))
	require.Equal(t, 404, status, "another account's service")

	status, body = get(t, api, "https://messaging.twilio.com/v2/Channels/Senders?Channel=whatsapp", apiAccount, string(apiToken))
	require.Equal(t, 200, status)
	require.Empty(t, body["senders"], "another account's senders are not listed")

	status, _ = get(t, api, "https://content.twilio.com/v1/Services/"+apiService, apiAccount, string(apiToken))
	require.Equal(t, 404, status, "a path served on another host")
}

func TestTwilioAPISendersArePaged(t *testing.T) {
	api := newFakeAPI(t)
	for _, p := range []string{"+14155550101", "+14155550102", "+14155550103"} {
		api.AddWhatsAppSender(apiAccount, p)
	}
	status, body := get(t, api, "https://messaging.twilio.com/v2/Channels/Senders?Channel=whatsapp&PageSize=2", apiAccount, string(apiToken))
	require.Equal(t, 200, status)
	require.Len(t, body["senders"], 2)
	next, _ := body["meta"].(map[string]any)["next_page_url"].(string)
	require.True(t, strings.HasPrefix(next, "https://messaging.twilio.com/v2/Channels/Senders?"), next)
	status, body = get(t, api, next, apiAccount, string(apiToken))
	require.Equal(t, 200, status)
	require.Len(t, body["senders"], 1)
	require.Nil(t, body["meta"].(map[string]any)["next_page_url"])
}

func TestTwilioAPITypingIndicatorChecksItsForm(t *testing.T) {
	api := newFakeAPI(t)
	for _, tt := range []struct {
		form url.Values
		want int
	}{
		{url.Values{"channel": {"whatsapp"}, "messageId": {"SM0123456789abcdef0123456789abcdef"}}, 200},
		{url.Values{"channel": {"sms"}, "messageId": {"SM0123456789abcdef0123456789abcdef"}}, 400},
		{url.Values{"channel": {"whatsapp"}, "messageId": {"wamid.123"}}, 400},
	} {
		status, _ := post(t, api, "https://messaging.twilio.com/v2/Indicators/Typing.json", apiAccount, string(apiToken), tt.form)
		require.Equal(t, tt.want, status, "%v", tt.form)
	}
	require.Len(t, api.TypingIndicators(), 1)
}
