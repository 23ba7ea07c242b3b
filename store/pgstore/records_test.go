package pgstore_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// fill sets every settable field of v to a distinct non-zero value, so a
// field the store forgets to keep shows up in a round trip.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("value-%d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(t0.Add(time.Duration(*n) * time.Second)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), n)
	case reflect.Map:
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(k, e)
	}
}

// TestChannelKeepsEveryField guards the explicit columns: a credential or
// top-level field added to channel.Channel that pgstore does not store
// fails here. (Settings is jsonb and follows its own JSON encoding.)
func TestChannelKeepsEveryField(t *testing.T) {
	t.Parallel()
	stored := map[string]bool{"ID": true, "Name": true, "Twilio": true, "Settings": true, "Version": true,
		"CreatedAt": true, "UpdatedAt": true}
	typ := reflect.TypeFor[channel.Channel]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		require.True(t, stored[f.Name], "channel.Channel.%s is new: store it in pgstore (channels.go and a migration)", f.Name)
	}
	pool := pgtest.Pool(t)
	for _, keyed := range []bool{false, true} {
		t.Run(fmt.Sprint("keyring=", keyed), func(t *testing.T) {
			var keys = testKeyring(t, "k1", "k1")
			if !keyed {
				keys = nil
			}
			s, _ := newStore(t, pool, keys)
			mk := func(n int) channel.Channel {
				ch := channel.Channel{ID: "ch1", Version: 1, CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Duration(n) * time.Hour)}
				fill(reflect.ValueOf(&ch.Name).Elem(), &n)
				fill(reflect.ValueOf(&ch.Twilio).Elem(), &n)
				ch.Settings.Greeting = channel.Greeting{Enabled: true, Text: fmt.Sprint("Hello ", n)}
				ch.Settings.Assignment.Agents = []string{fmt.Sprint("agent-", n)}
				ch.Settings.Assignment.AIAgents = []channel.AIAgentRef{{ID: fmt.Sprint("bot-", n), Enabled: true}}
				return ch
			}
			ch := mk(0)
			require.NoError(t, s.CreateChannel(t.Context(), ch))
			got, err := s.Channel(t.Context(), ch.ID)
			require.NoError(t, err)
			require.Equal(t, ch, got)

			changed := mk(100)
			stored, err := s.UpdateChannel(t.Context(), changed)
			require.NoError(t, err)
			want := changed
			want.Version = 2
			want.Settings.Assignment = ch.Settings.Assignment // members are not part of an update
			require.Equal(t, want, stored)
			list, err := s.ListChannels(t.Context())
			require.NoError(t, err)
			require.Equal(t, []channel.Channel{want}, list)
		})
	}
}

func TestRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	ctx := t.Context()
	require.NoError(t, s.CreateChannel(ctx, testChannel("ch1")))
	zone := time.FixedZone("UTC+2", 2*3600)

	t.Run("times come back in UTC at microsecond precision", func(t *testing.T) {
		at := t0.Add(1500 * time.Nanosecond).In(zone)
		res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550100", 1, at))
		require.NoError(t, err)
		want := t0.Add(time.Microsecond)
		for name, got := range map[string]time.Time{
			"message created": res.Message.CreatedAt, "contact created": res.Contact.CreatedAt,
			"contact last inbound": res.Contact.LastInboundAt, "conversation created": res.Conversation.CreatedAt,
			"conversation updated": res.Conversation.UpdatedAt,
		} {
			require.Equal(t, time.UTC, got.Location(), name)
			require.True(t, got.Equal(want), "%s: %v", name, got)
		}
		require.True(t, res.Conversation.ResolvedAt.IsZero(), "unset times are zero")
		require.True(t, res.Contact.WindowClosedAt.IsZero())

		q, err := s.FinishInbound(ctx, res.Message.ID, []store.Message{{ConversationID: res.Conversation.ID, Key: "k",
			NextAttemptAt: at.Add(time.Minute)}}, at)
		require.NoError(t, err)
		msgs, err := s.Messages(ctx, res.Conversation.ID)
		require.NoError(t, err)
		require.Len(t, msgs, 2)
		require.Equal(t, q[0], msgs[1], "what FinishInbound returns is what is stored")
		require.Equal(t, time.UTC, msgs[1].NextAttemptAt.Location())
		require.True(t, msgs[1].NextAttemptAt.Equal(want.Add(time.Minute)))
	})

	t.Run("outbound fields survive the outbox", func(t *testing.T) {
		res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550101", 2, t0))
		require.NoError(t, err)
		msg := store.Message{ConversationID: res.Conversation.ID, Kind: store.KindAI, Key: "ai:1", AuthorID: "bot",
			Text: "Hi", MediaURLs: []string{"https://example.com/a.png", "https://example.com/b.pdf"},
			ContentSID: "HX123", ContentVariables: map[string]string{"1": "Ana", "2": "Monday"}, TemplateSID: "HX456"}
		queued, created, err := s.Enqueue(ctx, msg, t0)
		require.NoError(t, err)
		require.True(t, created)
		msgs, err := s.Messages(ctx, res.Conversation.ID)
		require.NoError(t, err)
		require.Len(t, msgs, 2)
		byKey := msgs[1]
		require.Equal(t, queued, byKey, "read back from the database")
		for name, got := range map[string]any{
			"Kind": byKey.Kind, "AuthorID": byKey.AuthorID, "Text": byKey.Text, "MediaURLs": byKey.MediaURLs,
			"ContentSID": byKey.ContentSID, "ContentVariables": byKey.ContentVariables, "TemplateSID": byKey.TemplateSID,
			"ContactID": byKey.ContactID, "ChannelID": byKey.ChannelID,
		} {
			want := map[string]any{"Kind": msg.Kind, "AuthorID": msg.AuthorID, "Text": msg.Text, "MediaURLs": msg.MediaURLs,
				"ContentSID": msg.ContentSID, "ContentVariables": msg.ContentVariables, "TemplateSID": msg.TemplateSID,
				"ContactID": res.Contact.ID, "ChannelID": "ch1"}[name]
			require.Equal(t, want, got, name)
		}
		cs, err := s.ClaimOutbound(ctx, t0, time.Minute, 10)
		require.NoError(t, err)
		require.Len(t, cs, 1)
		require.Equal(t, msg.ContentVariables, cs[0].Message.ContentVariables)
	})

	t.Run("the inbound webhook is kept whole", func(t *testing.T) {
		rec := inboundAt("ch1", "+14155550102", 3, t0)
		rec.Message.Media = []channel.Media{{URL: "https://api.twilio.com/m/1", ContentType: "image/jpeg"}}
		rec.Message.Location = &channel.Location{Latitude: 48.85, Longitude: 2.35, Label: "Paris"}
		rec.Message.Extra = map[string]string{"ApiVersion": "2010-04-01"}
		res, err := s.RecordInbound(ctx, rec)
		require.NoError(t, err)
		dup, err := s.RecordInbound(ctx, rec)
		require.NoError(t, err)
		require.True(t, dup.Duplicate)
		require.Equal(t, rec.Message, *dup.Message.Inbound, "read back from the database")
		require.Equal(t, res.Message, dup.Message)
	})

	t.Run("contact attributes are read from jsonb", func(t *testing.T) {
		res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550103", 4, t0))
		require.NoError(t, err)
		require.Nil(t, res.Contact.Attributes)
		_, err = pool.Exec(ctx, `UPDATE `+pgx.Identifier{schema, "contacts"}.Sanitize()+
			` SET attributes = '{"plan": "gold"}' WHERE id = $1`, res.Contact.ID)
		require.NoError(t, err)
		k, err := s.Contact(ctx, res.Contact.ID)
		require.NoError(t, err)
		require.Equal(t, map[string]string{"plan": "gold"}, k.Attributes)
	})
}
