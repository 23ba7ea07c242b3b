package livedesktest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/twilio"
)

const (
	apiAccount                  = "AC0123456789abcdef0123456789abcdef"
	apiOther                    = "AC1123456789abcdef0123456789abcdef"
	apiToken     channel.Secret = "tok0123456789abcdef0123456789abcd"
	apiKeySID                   = "SK0123456789abcdef0123456789abcdef"
	apiKeySecret channel.Secret = "keysecret0123456789abcdef01234567"
	apiService                  = "MG0123456789abcdef0123456789abcdef"
	apiContent                  = "HX0123456789abcdef0123456789abcdef"
	apiCallback                 = "https://desk.example.com/livedesk/status/ch1"
)

func messagesURL(account string) string {
	return "https://api.twilio.com/2010-04-01/Accounts/" + account + "/Messages.json"
}

func validForm() url.Values {
	return url.Values{"To": {"whatsapp:+14155550100"}, "From": {"whatsapp:+14155238886"}, "Body": {"Hi"}}
}

// post sends a CreateMessage request through the fake's client and decodes
// the JSON answer.
func post(t *testing.T, api *livedesktest.TwilioAPI, target, user, pass string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := api.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func newFakeAPI(t *testing.T) *livedesktest.TwilioAPI {
	api := livedesktest.NewTwilioAPI(t)
	api.SetAuthToken(apiAccount, apiToken)
	api.AddAPIKey(apiAccount, apiKeySID, apiKeySecret)
	return api
}

func TestTwilioAPIAuthentication(t *testing.T) {
	tests := []struct {
		name         string
		path         string
		user, pass   string
		status, code int
	}{
		{"account SID and token", apiAccount, apiAccount, string(apiToken), 201, 0},
		{"API key on its account", apiAccount, apiKeySID, string(apiKeySecret), 201, 0},
		{"no credentials", apiAccount, "", "", 401, 20003},
		{"wrong token", apiAccount, apiAccount, "nope", 401, 20003},
		{"unregistered account", apiOther, apiOther, string(apiToken), 401, 20003},
		{"wrong key secret", apiAccount, apiKeySID, string(apiToken), 401, 20003},
		{"key secret used as the account's token", apiAccount, apiAccount, string(apiKeySecret), 401, 20003},
		{"API key with the key SID in the path", apiKeySID, apiKeySID, string(apiKeySecret), 404, 20404},
		{"valid credentials for another account's path", apiOther, apiAccount, string(apiToken), 404, 20404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			status, body := post(t, api, messagesURL(tt.path), tt.user, tt.pass, validForm())
			require.Equal(t, tt.status, status, "%v", body)
			if tt.code != 0 {
				require.EqualValues(t, tt.code, body["code"])
				require.EqualValues(t, tt.status, body["status"])
				require.Empty(t, api.Sent())
			} else {
				require.Len(t, api.Sent(), 1)
				require.Equal(t, tt.user, api.Sent()[0].Username)
			}
			require.Equal(t, 1, api.Requests())
		})
	}
}

func TestTwilioAPIValidatesMessages(t *testing.T) {
	with := func(mod func(url.Values)) url.Values {
		f := validForm()
		mod(f)
		return f
	}
	tests := []struct {
		name string
		form url.Values
		code int // 0: accepted
	}{
		{"valid text", validForm(), 0},
		{"missing To", with(func(f url.Values) { f.Del("To") }), 21604},
		{"To without whatsapp prefix", with(func(f url.Values) { f.Set("To", "+14155550100") }), 21211},
		{"neither From nor service", with(func(f url.Values) { f.Del("From") }), 21603},
		{"From without whatsapp prefix", with(func(f url.Values) { f.Set("From", "+14155238886") }), 21212},
		{"service alone", with(func(f url.Values) { f.Del("From"); f.Set("MessagingServiceSid", apiService) }), 0},
		{"malformed service", with(func(f url.Values) { f.Set("MessagingServiceSid", "MG12") }), 21701},
		{"variables without content", with(func(f url.Values) { f.Set("ContentVariables", `{"1":"a"}`) }), 21654},
		{"malformed content SID", with(func(f url.Values) { f.Del("Body"); f.Set("ContentSid", "HX1") }), 21655},
		{"variables not a string map", with(func(f url.Values) {
			f.Del("Body")
			f.Set("ContentSid", apiContent)
			f.Set("ContentVariables", `{"1":2}`)
		}), 21656},
		{"content with variables", with(func(f url.Values) {
			f.Del("Body")
			f.Set("ContentSid", apiContent)
			f.Set("ContentVariables", `{"1":"Ana"}`)
		}), 0},
		{"nothing to send", with(func(f url.Values) { f.Del("Body") }), 21619},
		{"media alone", with(func(f url.Values) { f.Del("Body"); f.Add("MediaUrl", "https://cdn.example.com/a.jpg") }), 0},
		{"relative media URL", with(func(f url.Values) { f.Add("MediaUrl", "/a.jpg") }), 21620},
		{"body too long", with(func(f url.Values) { f.Set("Body", strings.Repeat("a", 1601)) }), 21617},
		{"bad status callback", with(func(f url.Values) { f.Set("StatusCallback", "desk/status") }), 21609},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			status, body := post(t, api, messagesURL(apiAccount), apiAccount, string(apiToken), tt.form)
			if tt.code == 0 {
				require.Equal(t, http.StatusCreated, status, "%v", body)
				require.Len(t, api.Sent(), 1)
				return
			}
			require.Equal(t, http.StatusBadRequest, status)
			require.EqualValues(t, tt.code, body["code"], "%v", body)
			require.NotEmpty(t, body["message"])
			require.Empty(t, api.Sent())
		})
	}
}

func TestTwilioAPIAnswersLikeTwilio(t *testing.T) {
	api := newFakeAPI(t)
	api.SetClock(func() time.Time { return livedesktest.DefaultTime.Add(time.Hour) })
	form := validForm()
	form.Set("StatusCallback", apiCallback)
	status, body := post(t, api, messagesURL(apiAccount), apiAccount, string(apiToken), form)
	require.Equal(t, http.StatusCreated, status)
	sid, _ := body["sid"].(string)
	require.Regexp(t, regexp.MustCompile(`^SM[0-9a-f]{32}$`), sid)
	require.Equal(t, "queued", body["status"])
	require.Equal(t, "outbound-api", body["direction"])
	require.Equal(t, "2010-04-01", body["api_version"])
	require.Equal(t, apiAccount, body["account_sid"])
	require.Equal(t, "whatsapp:+14155550100", body["to"])
	require.Equal(t, "whatsapp:+14155238886", body["from"])
	require.Equal(t, "Hi", body["body"])
	require.Equal(t, "0", body["num_media"])
	require.Equal(t, "1", body["num_segments"])
	require.Nil(t, body["error_code"])
	require.Equal(t, "/2010-04-01/Accounts/"+apiAccount+"/Messages/"+sid+".json", body["uri"])
	created, err := time.Parse(time.RFC1123Z, body["date_created"].(string))
	require.NoError(t, err)
	require.True(t, created.Equal(livedesktest.DefaultTime.Add(time.Hour)), "%v", created)

	m := api.Sent()[0]
	require.Equal(t, sid, m.SID)
	require.Equal(t, apiCallback, m.StatusCallback)
	require.Equal(t, form, m.Form)
}

func TestTwilioAPIFailuresAreConsumedInOrder(t *testing.T) {
	api := newFakeAPI(t)
	api.FailNext(429, 20429, "Too Many Requests")
	api.FailNextHTML(502)
	api.FailNext(500, 0, "")
	want := []struct {
		status, code int
		html         bool
	}{{429, 20429, false}, {502, 0, true}, {500, 0, false}, {201, 0, false}}
	for i, w := range want {
		req, err := http.NewRequest(http.MethodPost, messagesURL(apiAccount), strings.NewReader(validForm().Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(apiAccount, string(apiToken))
		resp, err := api.Client().Do(req)
		require.NoError(t, err)
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, w.status, resp.StatusCode, "request %d", i)
		if w.html {
			require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
			require.Contains(t, string(raw), "502 Bad Gateway")
			continue
		}
		var body map[string]any
		require.NoError(t, json.Unmarshal(raw, &body), "request %d: %s", i, raw)
		if w.status >= 400 {
			require.EqualValues(t, w.code, body["code"])
			require.Equal(t, http.StatusText(w.status), body["message"])
		}
	}
	require.Equal(t, 4, api.Requests())
	require.Len(t, api.Sent(), 1)
}

func TestTwilioAPIFailuresAreSafeForConcurrentUse(t *testing.T) {
	api := newFakeAPI(t)
	m := api.Messenger()
	ch := channel.Channel{Twilio: channel.Twilio{AccountSID: apiAccount, AuthToken: apiToken, PhoneNumber: "+14155238886"}}
	const n = 10
	for range n {
		api.FailNext(503, 20503, "Service Unavailable")
	}
	var wg sync.WaitGroup
	for range 2 * n {
		wg.Go(func() {
			_, _ = m.Send(t.Context(), ch, channel.Envelope{To: "+14155550100", Text: "Hi"})
		})
	}
	wg.Wait()
	require.Equal(t, 2*n, api.Requests())
	require.Len(t, api.Sent(), n, "each injected failure is consumed exactly once")
}

func TestTwilioAPIClientRefusesOtherHosts(t *testing.T) {
	api := newFakeAPI(t)
	for _, target := range []string{"https://example.com/", "https://twilio.com.evil.example/x", "http://127.0.0.1/"} {
		_, err := api.Client().Post(target, "text/plain", strings.NewReader("x"))
		require.ErrorContains(t, err, "refusing", target)
	}
	resp, err := api.Client().Get("https://video.twilio.com/v1/Rooms")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "other Twilio APIs are not faked")
	require.Zero(t, api.Requests())
}

func TestTwilioAPIHangNextWaitsForTheClient(t *testing.T) {
	api := newFakeAPI(t)
	api.HangNext()
	hc := api.Client()
	hc.Timeout = 100 * time.Millisecond
	req, err := http.NewRequest(http.MethodPost, messagesURL(apiAccount), strings.NewReader(validForm().Encode()))
	require.NoError(t, err)
	req.SetBasicAuth(apiAccount, string(apiToken))
	_, err = hc.Do(req)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	require.True(t, ue.Timeout())
	require.Equal(t, 1, api.Requests())
	require.Empty(t, api.Sent())
}

func TestTwilioAPIStatusCallbackIsSigned(t *testing.T) {
	tests := []struct {
		name      string
		ch        channel.Channel
		status    string
		errorCode int
		want      map[string]string // "" means absent
	}{
		{
			name:   "sent",
			ch:     channel.Channel{Twilio: channel.Twilio{AccountSID: apiAccount, AuthToken: apiToken, PhoneNumber: "+14155238886"}},
			status: "sent",
			want:   map[string]string{"MessageStatus": "sent", "SmsStatus": "sent", "EventType": "", "ErrorCode": "", "MessagingServiceSid": "", "From": "whatsapp:+14155238886"},
		},
		{
			name:   "delivered",
			ch:     channel.Channel{Twilio: channel.Twilio{AccountSID: apiAccount, AuthToken: apiToken, PhoneNumber: "+14155238886"}},
			status: "delivered",
			want:   map[string]string{"MessageStatus": "delivered", "EventType": "DELIVERED"},
		},
		{
			name:   "failed outside the window, through a messaging service",
			ch:     channel.Channel{Twilio: channel.Twilio{AccountSID: apiAccount, AuthToken: apiToken, MessagingServiceSID: apiService}},
			status: "failed", errorCode: 63016,
			want: map[string]string{"MessageStatus": "failed", "ErrorCode": "63016", "MessagingServiceSid": apiService, "EventType": ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			r, err := api.Messenger().Send(t.Context(), tt.ch, channel.Envelope{
				To: "+14155550100", From: "+14155238886", Text: "Hi", StatusCallback: apiCallback})
			require.NoError(t, err)
			m := api.Sent()[0]

			req := api.StatusCallback(m, tt.status, tt.errorCode, apiToken)
			require.Equal(t, http.MethodPost, req.Method)
			require.Equal(t, apiCallback, req.URL.String())
			require.Equal(t, "application/x-www-form-urlencoded", req.Header.Get("Content-Type"))
			require.NotEmpty(t, req.Header.Get("I-Twilio-Idempotency-Token"))
			raw, err := io.ReadAll(req.Body)
			require.NoError(t, err)
			form, err := twilio.ParseForm(raw)
			require.NoError(t, err)

			sig := req.Header.Get(twilio.SignatureHeader)
			require.True(t, twilio.NewVerifier(string(apiToken)).Verify(apiCallback, form, sig))
			require.False(t, twilio.NewVerifier("other0123456789abcdef0123456789ab").Verify(apiCallback, form, sig))

			require.Equal(t, r.SID, form.Get("MessageSid"))
			require.Equal(t, r.SID, form.Get("SmsSid"))
			require.Equal(t, apiAccount, form.Get("AccountSid"))
			require.Equal(t, "whatsapp:+14155550100", form.Get("To"))
			require.Equal(t, "whatsapp", form.Get("ChannelPrefix"))
			require.Equal(t, "2010-04-01", form.Get("ApiVersion"))
			for k, v := range tt.want {
				if v == "" {
					require.False(t, form.Has(k), k)
				} else {
					require.Equal(t, v, form.Get(k), k)
				}
			}
			if tt.errorCode != 0 {
				require.NotEmpty(t, form.Get("ErrorMessage"))
			}
		})
	}
}

func TestTwilioAPIStatusCallbackReachesAServer(t *testing.T) {
	api := newFakeAPI(t)
	verifier := twilio.NewVerifier(string(apiToken))
	var (
		mu  sync.Mutex
		got []string
	)
	desk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		form, err := twilio.ParseForm(raw)
		if err != nil || !verifier.Verify(apiCallback, form, r.Header.Get(twilio.SignatureHeader)) {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		mu.Lock()
		got = append(got, form.Get("MessageStatus"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer desk.Close()
	ch := channel.Channel{Twilio: channel.Twilio{AccountSID: apiAccount, AuthToken: apiToken, PhoneNumber: "+14155238886"}}
	_, err := api.Messenger().Send(t.Context(), ch, channel.Envelope{To: "+14155550100", Text: "Hi", StatusCallback: apiCallback})
	require.NoError(t, err)
	for _, status := range []string{"sent", "read"} {
		req := api.StatusCallback(api.Sent()[0], status, 0, apiToken)
		target, err := url.Parse(desk.URL)
		require.NoError(t, err)
		req.URL.Scheme, req.URL.Host, req.Host = target.Scheme, target.Host, ""
		resp, err := desk.Client().Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusNoContent, resp.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []string{"sent", "read"}, got)
}
