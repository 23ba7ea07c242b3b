package pgstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// Column lists, in the order the scanners below expect. "@" stands for the
// table prefix ("", "m." or "(r.o_message)."), so one list serves plain
// SELECTs, joins and the record_inbound result. Nullable text columns are
// read through coalesce so they scan into plain strings.
const (
	messageColumns = `@id, @channel_id, @conversation_id, @contact_id, @direction, @kind, coalesce(@sid, ''), @body,
	@inbound, @processed, @created_at, coalesce(@key, ''), coalesce(@author_id, ''), @media_urls, @content_sid,
	@content_variables, @template_sid, @status, @attempts, @next_attempt_at, @error_code, @error, @updated_at,
	coalesce(@survey_id, ''), @new_contact, @opened, @survey_outcome`
	contactColumns = `@id, @channel_id, @phone, @wa_id, @profile_name, @attributes, @created_at, @last_inbound_at,
	@window_closed_at, coalesce(@last_agent_id, ''), @name, @updated_at`
	conversationColumns = `@id, @channel_id, @contact_id, @status, @sender, coalesce(@assignee_id, ''),
	coalesce(@ai_agent_id, ''), @created_at, @updated_at, @resolved_at, @last_inbound_at, @last_agent_reply_at,
	@ai_handed_off, @queued_at, coalesce(@queue_agent, ''), coalesce(@queue_team, ''),
	coalesce(@ai_turn_message_id, ''), @resolutions`
	agentColumns = `@id, @name, @status, @capacity, @teams, @open, @last_assigned_at, @created_at, @updated_at`
	// Every survey column is coalesced: record_inbound returns a NULL
	// survey row when the message answered none.
	surveyColumns = `coalesce(@id, ''), coalesce(@channel_id, ''), coalesce(@conversation_id, ''),
	coalesce(@contact_id, ''), coalesce(@resolution, 0), coalesce(@agent_id, ''), coalesce(@ai_agent_id, ''),
	coalesce(@message_id, ''), @sent_at, @expires_at, coalesce(@rating, 0), coalesce(@rating_method, ''), @rated_at,
	coalesce(@wants_comment, false), coalesce(@comment, ''), @comment_at, coalesce(@closed, false),
	coalesce(@not_sent, '')`
)

// cols returns a column list for the given table prefix.
func cols(list, prefix string) string { return strings.ReplaceAll(list, "@", prefix) }

// utc converts a nullable timestamptz to a UTC time, zero for NULL. pgx
// returns times in time.Local; the store contract is UTC.
func utc(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// nullTime passes the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// nullString passes "" as NULL, for the columns where NULL means "none"
// (keys, SIDs, owners).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// messageScan receives one row of messageColumns.
type messageScan struct {
	m                                store.Message
	direction, kind, status, outcome string
	inbound, media, vars             []byte
	created, next, updated           pgtype.Timestamptz
}

func (x *messageScan) dest() []any {
	m := &x.m
	return []any{&m.ID, &m.ChannelID, &m.ConversationID, &m.ContactID, &x.direction, &x.kind, &m.SID, &m.Text,
		&x.inbound, &m.Processed, &x.created, &m.Key, &m.AuthorID, &x.media, &m.ContentSID,
		&x.vars, &m.TemplateSID, &x.status, &m.Attempts, &x.next, &m.ErrorCode, &m.Error, &x.updated, &m.SurveyID,
		&m.NewContact, &m.Opened, &x.outcome}
}

// message finishes the record. known, when not nil, is the inbound message
// the caller already has, which saves decoding the stored copy.
func (x *messageScan) message(known *channel.Inbound) (store.Message, error) {
	m := x.m
	m.Direction, m.Kind, m.Status = store.Direction(x.direction), store.Kind(x.kind), store.DeliveryStatus(x.status)
	m.SurveyOutcome = store.SurveyOutcome(x.outcome)
	m.CreatedAt, m.NextAttemptAt, m.UpdatedAt = utc(x.created), utc(x.next), utc(x.updated)
	switch {
	case known != nil:
		m.Inbound = known
	case x.inbound != nil:
		m.Inbound = new(channel.Inbound)
		if err := json.Unmarshal(x.inbound, m.Inbound); err != nil {
			return store.Message{}, fmt.Errorf("pgstore: message %q: stored inbound webhook: %w", m.ID, err)
		}
	}
	if err := unmarshalJSON(x.media, &m.MediaURLs); err != nil {
		return store.Message{}, fmt.Errorf("pgstore: message %q: media_urls: %w", m.ID, err)
	}
	if err := unmarshalJSON(x.vars, &m.ContentVariables); err != nil {
		return store.Message{}, fmt.Errorf("pgstore: message %q: content_variables: %w", m.ID, err)
	}
	return m, nil
}

// contactScan receives one row of contactColumns.
type contactScan struct {
	c                              store.Contact
	attributes                     []byte
	created, last, closed, updated pgtype.Timestamptz
}

func (x *contactScan) dest() []any {
	c := &x.c
	return []any{&c.ID, &c.ChannelID, &c.Phone, &c.WaID, &c.ProfileName, &x.attributes, &x.created, &x.last, &x.closed,
		&c.LastAgentID, &c.Name, &x.updated}
}

func (x *contactScan) contact() (store.Contact, error) {
	c := x.c
	c.CreatedAt, c.LastInboundAt, c.WindowClosedAt, c.UpdatedAt = utc(x.created), utc(x.last), utc(x.closed), utc(x.updated)
	if err := unmarshalJSON(x.attributes, &c.Attributes); err != nil {
		return store.Contact{}, fmt.Errorf("pgstore: contact %q: attributes: %w", c.ID, err)
	}
	return c, nil
}

// conversationScan receives one row of conversationColumns.
type conversationScan struct {
	c                                                       store.Conversation
	status                                                  string
	created, updated, resolved, inbound, agentReply, queued pgtype.Timestamptz
}

func (x *conversationScan) dest() []any {
	c := &x.c
	return []any{&c.ID, &c.ChannelID, &c.ContactID, &x.status, &c.Sender, &c.AssigneeID, &c.AIAgentID,
		&x.created, &x.updated, &x.resolved, &x.inbound, &x.agentReply, &c.AIHandedOff, &x.queued,
		&c.QueueTarget.Agent, &c.QueueTarget.Team, &c.AITurnMessageID, &c.Resolutions}
}

func (x *conversationScan) conversation() store.Conversation {
	c := x.c
	c.Status = store.ConversationStatus(x.status)
	c.CreatedAt, c.UpdatedAt, c.ResolvedAt = utc(x.created), utc(x.updated), utc(x.resolved)
	c.LastInboundAt, c.LastAgentReplyAt, c.QueuedAt = utc(x.inbound), utc(x.agentReply), utc(x.queued)
	return c
}

// agentScan receives one row of agentColumns.
type agentScan struct {
	a                      store.Agent
	status                 string
	teams                  []byte
	assigned, created, upd pgtype.Timestamptz
}

func (x *agentScan) dest() []any {
	a := &x.a
	return []any{&a.ID, &a.Name, &x.status, &a.Capacity, &x.teams, &a.Open, &x.assigned, &x.created, &x.upd}
}

func (x *agentScan) agent() (store.Agent, error) {
	a := x.a
	a.Status = store.AgentStatus(x.status)
	a.LastAssignedAt, a.CreatedAt, a.UpdatedAt = utc(x.assigned), utc(x.created), utc(x.upd)
	if err := unmarshalJSON(x.teams, &a.Teams); err != nil {
		return store.Agent{}, fmt.Errorf("pgstore: agent %q: teams: %w", a.ID, err)
	}
	return a, nil
}

// surveyScan receives one row of surveyColumns.
type surveyScan struct {
	s                               store.Survey
	sent, expires, rated, commentAt pgtype.Timestamptz
}

func (x *surveyScan) dest() []any {
	s := &x.s
	return []any{&s.ID, &s.ChannelID, &s.ConversationID, &s.ContactID, &s.Resolution, &s.AgentID, &s.AIAgentID,
		&s.MessageID, &x.sent, &x.expires, &s.Rating, &s.RatingMethod, &x.rated, &s.WantsComment, &s.Comment,
		&x.commentAt, &s.Closed, &s.NotSent}
}

func (x *surveyScan) survey() store.Survey {
	s := x.s
	s.SentAt, s.ExpiresAt, s.RatedAt, s.CommentAt = utc(x.sent), utc(x.expires), utc(x.rated), utc(x.commentAt)
	return s
}

// unmarshalJSON decodes a nullable jsonb value, leaving v alone for NULL and
// for the empty object and array (so records keep nil maps and slices).
func unmarshalJSON(raw []byte, v any) error {
	switch string(raw) {
	case "", "null", "{}", "[]":
		return nil
	}
	return json.Unmarshal(raw, v)
}
