package pgstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

func TestValidSchema(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, schema string
		ok           bool
	}{
		{"default", "livedesk", true},
		{"underscores and digits", "_desk_2", true},
		{"a reserved word is still a plain identifier", "user", true},
		{"63 bytes", strings.Repeat("a", 63), true},
		{"empty", "", false},
		{"64 bytes", strings.Repeat("a", 64), false},
		{"leading digit", "1desk", false},
		{"uppercase", "LiveDesk", false},
		{"dash", "live-desk", false},
		{"dot", "live.desk", false},
		{"quote", `live"desk`, false},
		{"injection", "x; DROP TABLE y", false},
		{"non-ASCII", "désk", false},
		{"reserved pg_ prefix", "pg_desk", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := pgstore.ValidSchema(c.schema)
			if c.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, "pgstore: schema")
			_, err = pgstore.New(&pgxpool.Pool{}, pgstore.Options{Schema: c.schema})
			if c.schema == "" {
				require.NoError(t, err, "empty means the default schema")
				return
			}
			require.Error(t, err, "New")
			require.Error(t, pgstore.Migrate(context.Background(), &pgxpool.Pool{}, c.schema), "Migrate")
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	s, err := pgstore.New(&pgxpool.Pool{}, pgstore.Options{})
	require.NoError(t, err)
	require.Equal(t, "livedesk", s.Schema())
	_, err = pgstore.New(nil, pgstore.Options{})
	require.ErrorContains(t, err, "nil")
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	ms := pgstore.Migrations()
	require.NotEmpty(t, ms)
	// Versions are 1, 2, 3... without gaps, except numbers reserved for a
	// migration written on a parallel branch (Migrate applies it when it
	// lands, see TestMigrateFillsGaps). Remove an entry once its
	// migration is merged.
	reserved := map[int]string{6: "the event feed (issue 15, items 1-3)"}
	next := 1
	for _, m := range ms {
		for reserved[next] != "" && m.Version != next {
			next++
		}
		require.Equal(t, next, m.Version, "versions are 1, 2, 3... without gaps")
		next++
		require.NotEmpty(t, m.Name)
		require.Contains(t, m.SQL, "{{schema}}")
		sql, err := m.ForSchema("desk")
		require.NoError(t, err)
		require.NotContains(t, sql, "{{schema}}")
		require.Contains(t, sql, `"desk".`)
		_, err = m.ForSchema("Bad-Name")
		require.Error(t, err)
	}
	require.Equal(t, "init", ms[0].Name)
}

// versions returns the versions recorded in schema's version table.
func versions(t *testing.T, pool *pgxpool.Pool, schema string) []int {
	t.Helper()
	rows, err := pool.Query(t.Context(), "SELECT version FROM "+pgx.Identifier{schema, "livedesk_migrations"}.Sanitize()+" ORDER BY version")
	require.NoError(t, err)
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	return vs
}

func allVersions() []int {
	var vs []int
	for _, m := range pgstore.Migrations() {
		vs = append(vs, m.Version)
	}
	return vs
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)

	t.Run("a second Migrate is a no-op", func(t *testing.T) {
		s, schema := newStore(t, pool, nil)
		require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch1")))
		require.NoError(t, pgstore.Migrate(t.Context(), pool, schema))
		require.Equal(t, allVersions(), versions(t, pool, schema))
		_, err := s.Channel(t.Context(), "ch1")
		require.NoError(t, err, "data kept")
	})

	t.Run("5 concurrent Migrates on a fresh schema apply each migration once", func(t *testing.T) {
		schema := pgtest.NewSchemaName(t)
		t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
		var wg sync.WaitGroup
		errs := make([]error, 5)
		start := make(chan struct{})
		for i := range errs {
			wg.Go(func() {
				<-start
				errs[i] = pgstore.Migrate(context.Background(), pool, schema)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "Migrate #%d", i)
		}
		require.Equal(t, allVersions(), versions(t, pool, schema))
		s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
		require.NoError(t, err)
		require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch1")))
	})

	t.Run("the exported SQL works without Migrate", func(t *testing.T) {
		schema := pgtest.NewSchemaName(t)
		t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
		for _, m := range pgstore.Migrations() {
			sql, err := m.ForSchema(schema)
			require.NoError(t, err)
			_, err = pool.Exec(t.Context(), sql)
			require.NoError(t, err, "migration %d", m.Version)
		}
		s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
		require.NoError(t, err)
		require.NoError(t, s.CreateChannel(t.Context(), testChannel("ch1")))
		_, err = s.RecordInbound(t.Context(), inboundAt("ch1", "+14155550100", 1, t0))
		require.NoError(t, err)
	})

	t.Run("upgrading keeps the data of earlier versions", func(t *testing.T) {
		schema := pgtest.NewSchemaName(t)
		t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
		require.NoError(t, pgstore.MigrateTo(t.Context(), pool, schema, 1))
		require.Equal(t, []int{1}, versions(t, pool, schema))
		q := pgx.Identifier{schema}.Sanitize()
		// A version-1 database with a customer, written as version 1 would.
		_, err := pool.Exec(t.Context(), `INSERT INTO `+q+`.channels (id, name, created_at, updated_at) VALUES ('ch1', 'Support', now(), now());
			SELECT * FROM `+q+`.record_inbound('ch1', 'SM1', '+14155550100', '14155550100', 'Ana', '+14155238886', 'hi', '{}', now())`)
		require.NoError(t, err)

		require.NoError(t, pgstore.Migrate(t.Context(), pool, schema))
		require.Equal(t, allVersions(), versions(t, pool, schema))
		s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
		require.NoError(t, err)
		convs, err := s.ListConversations(t.Context(), store.ConversationFilter{})
		require.NoError(t, err)
		require.Len(t, convs, 1)
		require.Equal(t, 0, convs[0].Resolutions, "new columns get their defaults")
		pending, err := s.UnprocessedInbound(t.Context(), t0.Add(100*365*24*time.Hour), 0)
		require.NoError(t, err)
		require.Len(t, pending, 1, "0004 lists the messages recorded before it as unprocessed")
		_, err = s.FinishInbound(t.Context(), pending[0].ID, nil, t0)
		require.NoError(t, err)
		pending, err = s.UnprocessedInbound(t.Context(), t0.Add(100*365*24*time.Hour), 0)
		require.NoError(t, err)
		require.Empty(t, pending, "finishing it removes it")
		res, err := s.RecordInbound(t.Context(), inboundAt("ch1", "+14155550100", 2, t0))
		require.NoError(t, err, "the new record_inbound replaced the old one")
		require.Equal(t, convs[0].ID, res.Conversation.ID)
		msgs, err := s.Messages(t.Context(), convs[0].ID)
		require.NoError(t, err)
		require.Len(t, msgs, 2)
	})

	t.Run("an unmigrated schema fails with the database's error", func(t *testing.T) {
		s, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.NewSchemaName(t)})
		require.NoError(t, err)
		_, err = s.Channel(t.Context(), "ch1")
		require.ErrorContains(t, err, "does not exist")
	})
}

// TestMigrate0005 upgrades a version-4 database holding what version 4
// wrote (members in the channel settings, text queue targets, unprocessed
// inbound messages of every kind) and checks that 0005 moves all of it.
func TestMigrate0005(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	ctx := t.Context()
	schema := pgtest.NewSchemaName(t)
	t.Cleanup(func() { pgtest.DropSchema(t, pool, schema) })
	require.NoError(t, pgstore.MigrateTo(ctx, pool, schema, 4))
	q := pgx.Identifier{schema}.Sanitize()
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := pool.Exec(ctx, strings.ReplaceAll(sql, "{{schema}}", q), args...)
		require.NoError(t, err, sql)
	}

	// Channels as version 4 stored them: the members inside the settings.
	var before channel.Settings
	before.Greeting = channel.Greeting{Enabled: true, Text: "Hello!"}
	before.Assignment = channel.Assignment{Strategy: routing.StrategyRoundRobin, Sticky: true,
		Agents:   []string{"a2", "a1", "gone"},
		AIAgents: []channel.AIAgentRef{{ID: "bot", Enabled: true}, {ID: "bot2", Enabled: false}}}
	raw, err := json.Marshal(before)
	require.NoError(t, err)
	require.Contains(t, string(raw), `"agents":["a2","a1","gone"]`, "the version-4 layout")
	exec(`INSERT INTO {{schema}}.channels (id, name, settings, created_at, updated_at) VALUES
		('ch1', 'Support', $1, $2, $2), ('ch2', 'Sales', '{"greeting": {"enabled": false}}', $2, $2)`, raw, t0)
	exec(`INSERT INTO {{schema}}.agents (id, name, status, created_at, updated_at) VALUES
		('a1', 'Ann', 'online', $1, $1), ('a2', 'Bob', 'online', $1, $1)`, t0)

	// Inbound messages, recorded by version 4's record_inbound.
	record := func(sid, phone string, at time.Time, rating int) {
		t.Helper()
		exec(`SELECT * FROM {{schema}}.record_inbound('ch1', $1, $2, '', '', '+14155238886', 'hi '||$1, '{}', $3,
			$4, '', '')`, sid, phone, at, rating)
	}
	record("SM1", "+14155550100", t0, 0)                  // new contact, opens a conversation
	record("SM2", "+14155550100", t0.Add(time.Minute), 0) // neither
	record("SM3", "+14155550101", t0, 0)                  // new contact, then processed
	exec(`UPDATE {{schema}}.messages SET processed = true WHERE sid = 'SM3';
		DELETE FROM {{schema}}.unprocessed WHERE message_id = (SELECT id FROM {{schema}}.messages WHERE sid = 'SM3')`)
	// SM3's conversation resolved with a survey asking for a comment.
	exec(`UPDATE {{schema}}.conversations SET status = 'resolved', resolved_at = $1, resolutions = 1
		WHERE contact_id = (SELECT id FROM {{schema}}.contacts WHERE phone = '+14155550101')`, t0.Add(time.Hour))
	exec(`INSERT INTO {{schema}}.surveys (id, channel_id, conversation_id, contact_id, resolution, sent_at, expires_at,
			wants_comment)
		SELECT 'sv1', 'ch1', id, contact_id, 1, $1::timestamptz, $1::timestamptz + interval '1 day', true FROM {{schema}}.conversations
		WHERE contact_id = (SELECT id FROM {{schema}}.contacts WHERE phone = '+14155550101')`, t0.Add(time.Hour))
	record("SM4", "+14155550101", t0.Add(2*time.Hour), 5) // the rating
	record("SM5", "+14155550101", t0.Add(3*time.Hour), 0) // the comment
	record("SM6", "+14155550101", t0.Add(4*time.Hour), 0) // opens a new conversation
	record("SM7", "+14155550102", t0.Add(5*time.Hour), 0) // new contact, for the queue targets
	record("SM8", "+14155550103", t0.Add(5*time.Hour), 0) // another
	record("SM9", "+14155550104", t0.Add(5*time.Hour), 0) // another
	targets := map[string]string{"+14155550100": "team:billing", "+14155550102": "agent:a1", "+14155550103": "something else",
		"+14155550104": "team:"}
	for phone, target := range targets {
		exec(`UPDATE {{schema}}.conversations SET queue_target = $2, queued_at = $3
			WHERE status = 'open' AND contact_id = (SELECT id FROM {{schema}}.contacts WHERE phone = $1)`, phone, target, t0)
	}

	require.NoError(t, pgstore.Migrate(ctx, pool, schema))
	require.Equal(t, allVersions(), versions(t, pool, schema))
	s, err := pgstore.New(pool, pgstore.Options{Schema: schema})
	require.NoError(t, err)

	t.Run("members move out of the settings, in order", func(t *testing.T) {
		ch, err := s.Channel(ctx, "ch1")
		require.NoError(t, err)
		require.Equal(t, []string{"a2", "a1", "gone"}, ch.Settings.Assignment.Agents, "an agent deleted before is moved as it was")
		require.Equal(t, before.Assignment.AIAgents, ch.Settings.Assignment.AIAgents)
		require.Equal(t, before, ch.Settings, "the rest of the settings is kept")
		require.Equal(t, int64(1), ch.Version)
		var stored string
		require.NoError(t, pool.QueryRow(ctx, "SELECT settings::text FROM "+q+".channels WHERE id = 'ch1'").Scan(&stored))
		require.NotContains(t, stored, `"agents"`)
		require.NotContains(t, stored, `"ai_agents"`)
		require.Contains(t, stored, `"sticky": true`)

		ch2, err := s.Channel(ctx, "ch2")
		require.NoError(t, err)
		require.Nil(t, ch2.Settings.Assignment.Agents)
		require.Nil(t, ch2.Settings.Assignment.AIAgents)

		// Membership is its own data now: an update from a copy made
		// before a member was added keeps it.
		_, err = s.ChangeMember(ctx, store.MemberChange{ChannelID: "ch1", AgentID: "a1", Op: store.MemberRemove}, t0)
		require.NoError(t, err)
		ch.Name = "Support desk"
		updated, err := s.UpdateChannel(ctx, ch)
		require.NoError(t, err)
		require.Equal(t, []string{"a2", "gone"}, updated.Settings.Assignment.Agents)
		require.Equal(t, int64(2), updated.Version)
		require.NoError(t, s.DeleteAgent(ctx, "a2"))
		ch, err = s.Channel(ctx, "ch1")
		require.NoError(t, err)
		require.Equal(t, []string{"gone"}, ch.Settings.Assignment.Agents)
	})

	t.Run("queue targets are typed", func(t *testing.T) {
		want := map[string]routing.Target{"+14155550100": {Team: "billing"}, "+14155550102": {Agent: "a1"},
			"+14155550103": {}, "+14155550104": {}}
		for phone, target := range want {
			k, err := s.ContactByPhone(ctx, "ch1", phone)
			require.NoError(t, err)
			convs, err := s.ListConversations(ctx, store.ConversationFilter{ContactID: k.ID, Status: store.StatusOpen})
			require.NoError(t, err)
			require.Len(t, convs, 1)
			require.Equal(t, target, convs[0].QueueTarget, "%s was %q", phone, targets[phone])
			require.True(t, convs[0].QueuedAt.Equal(t0), "still queued")
		}
	})

	t.Run("unprocessed messages get their facts", func(t *testing.T) {
		type facts struct {
			newContact, opened bool
			outcome            store.SurveyOutcome
		}
		want := map[string]facts{"SM1": {true, true, ""}, "SM2": {}, "SM4": {false, false, store.SurveyRated},
			"SM5": {false, false, store.SurveyCommented}, "SM6": {false, true, ""}, "SM7": {true, true, ""},
			"SM8": {true, true, ""}, "SM9": {true, true, ""}}
		pending, err := s.UnprocessedInbound(ctx, t0.Add(24*time.Hour), 0)
		require.NoError(t, err)
		got := map[string]facts{}
		for _, m := range pending {
			got[m.SID] = facts{m.NewContact, m.Opened, m.SurveyOutcome}
		}
		require.Equal(t, want, got, "SM3 was processed: it is not listed")

		var sm3 facts
		require.NoError(t, pool.QueryRow(ctx, "SELECT new_contact, opened, survey_outcome FROM "+q+".messages WHERE sid = 'SM3'").
			Scan(&sm3.newContact, &sm3.opened, &sm3.outcome))
		require.Equal(t, facts{}, sm3, "processed messages keep the defaults")
	})

	t.Run("contacts have no name and no update yet", func(t *testing.T) {
		k, err := s.ContactByPhone(ctx, "ch1", "+14155550100")
		require.NoError(t, err)
		require.Empty(t, k.Name)
		require.True(t, k.UpdatedAt.IsZero())
	})

	t.Run("the new record_inbound stores the facts", func(t *testing.T) {
		res, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550199", 1, t0.Add(6*time.Hour)))
		require.NoError(t, err)
		require.True(t, res.NewContact && res.NewConversation)
		require.True(t, res.Message.NewContact && res.Message.Opened)
		dup, err := s.RecordInbound(ctx, inboundAt("ch1", "+14155550199", 1, t0.Add(6*time.Hour)))
		require.NoError(t, err)
		require.True(t, dup.Duplicate)
		require.Equal(t, res.Message, dup.Message)
	})
}
