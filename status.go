package livedesk

import "net/http"

// serveStatus handles delivery status callbacks.
func (d *Desk) serveStatus(r *http.Request, channelID string) error {
	ctx := r.Context()
	e, err := d.channels.get(ctx, channelID)
	if err != nil {
		return err
	}
	form, err := d.readForm(r)
	if err != nil {
		return err
	}
	return e.verify(e.statusURL, r.URL.RawQuery, form, r.Header.Get("X-Twilio-Signature"))
}
