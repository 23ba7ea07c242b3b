package console

import (
	"context"
	"errors"
	"sort"

	"github.com/livedesk/livedesk"
)

// pickerTemplates returns the templates the reply box offers on a channel
// when the 24-hour window is closed: the approved WhatsApp templates of
// the channel's Twilio account (Desk.Templates, cached by the desk), or
// Options.Templates when the desk's Messenger cannot list templates. note
// says why the list is empty when it could not be read.
func (c *Console) pickerTemplates(ctx context.Context, channelID string) (ts []Template, note string) {
	list, err := c.opts.Desk.Templates(ctx, channelID, false)
	switch {
	case errors.Is(err, livedesk.ErrUnsupported):
		return c.opts.Templates, ""
	case errors.Is(err, livedesk.ErrTwilioUnreachable):
		return nil, "Could not reach Twilio to list the approved templates; reload to try again."
	case err != nil:
		c.log.Warn("console: templates could not be listed", "channel", channelID, "err", err)
		return nil, "The approved templates could not be listed; reload to try again."
	}
	for _, t := range list {
		if t.Approved() {
			name := t.Name
			if t.Language != "" {
				name += " (" + t.Language + ")"
			}
			ts = append(ts, Template{Name: name, ContentSID: t.SID})
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	return ts, ""
}
