package twilio_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/twilio"
)

func ExampleMessenger_Send() {
	// A stand-in for api.twilio.com. In production leave HTTPClient nil;
	// in tests, livedesktest.NewTwilioAPI(t).Messenger() is a stricter fake.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		user, _, _ := r.BasicAuth()
		fmt.Println(r.URL.Path, "as", user)
		fmt.Println(r.PostForm.Get("From"), "->", r.PostForm.Get("To"), r.PostForm.Get("Body"))
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}`)
	}))
	defer srv.Close()

	m := twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: &http.Client{Transport: toServer(srv)}})
	ch := channel.Channel{Name: "Support", Twilio: channel.Twilio{
		AccountSID:   "AC0123456789abcdef0123456789abcdef",
		AuthToken:    "0123456789abcdef0123456789abcdef",
		PhoneNumber:  "+14155238886",
		APIKeySID:    "SK0123456789abcdef0123456789abcdef",
		APIKeySecret: "keysecret0123456789abcdef01234567",
	}}
	r, err := m.Send(context.Background(), ch, channel.Envelope{To: "+14155550100", Text: "Hello!"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.SID, r.Status)
	// Output:
	// /2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json as SK0123456789abcdef0123456789abcdef
	// whatsapp:+14155238886 -> whatsapp:+14155550100 Hello!
	// SM0123456789abcdef0123456789abcdef queued
}

func ExampleIsRetryable() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"code":20429,"message":"Too Many Requests","status":429}`)
	}))
	defer srv.Close()

	m := twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: &http.Client{Transport: toServer(srv)}})
	ch := channel.Channel{Twilio: channel.Twilio{
		AccountSID:  "AC0123456789abcdef0123456789abcdef",
		AuthToken:   "0123456789abcdef0123456789abcdef",
		PhoneNumber: "+14155238886",
	}}
	_, err := m.Send(context.Background(), ch, channel.Envelope{To: "+14155550100", Text: "Hello!"})
	fmt.Println(err)
	fmt.Println("retry:", twilio.IsRetryable(err))

	_, err = m.Send(context.Background(), ch, channel.Envelope{To: "+14155550100"})
	fmt.Println(err)
	fmt.Println("retry:", twilio.IsRetryable(err))
	// Output:
	// twilio: send failed: 429 (code 20429): Too Many Requests
	// retry: true
	// twilio: invalid message: nothing to send; set Text and/or MediaURLs, or a ContentSID
	// retry: false
}
