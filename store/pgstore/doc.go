// Package pgstore is the PostgreSQL [store.Store]: the desk's store for
// production, shared by every replica of the host application. It needs
// PostgreSQL 13 or later (tested on 15) and a [pgxpool.Pool].
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	...
//	if err := pgstore.Migrate(ctx, pool, "livedesk"); err != nil { ... }
//	st, err := pgstore.New(pool, pgstore.Options{Keys: keyring})
//
// It passes the storetest conformance suite, like memstore.
//
// # Schema and migrations
//
// All tables live in one schema, "livedesk" unless [Options.Schema] says
// otherwise (a plain lowercase identifier). The schema is created by
// embedded, numbered SQL migrations (migrations/0001_init.sql, ...). [Migrate]
// applies the missing ones in one transaction and records them in the
// schema's livedesk_migrations table; it is idempotent and safe to run from
// several processes at once (an advisory lock keyed on the schema name).
// Hosts with their own migration tool take the SQL from [Migrations]: the
// files contain the placeholder {{schema}}, which [Migration.ForSchema]
// replaces with the quoted schema name.
//
// Tables: channels; contacts (unique per channel and phone); conversations
// (at most one open per contact, by a partial unique index); messages,
// which holds inbound messages and the outbound outbox alike (unique
// (channel, MessageSid) for inbound, unique key and unique (channel, SID)
// for outbound); unprocessed (the inbound messages not yet processed, in
// arrival order); agents; channel_members (who serves each channel, one
// row per human or AI agent, in the order they were added);
// assignment_cursors; ai_turns; surveys; conversation_labels. Maps and slices (contact
// attributes, media URLs, content variables, agent teams, channel
// settings, the parsed webhook) are jsonb. 0001 holds the inbox and the
// outbox, 0002 adds agents, assignment, AI turns and surveys, 0003 the
// surveys' not_sent column and indexes for CSAT reports, 0004 makes the
// webhook path cheaper (the unprocessed table, a shorter record_inbound),
// 0005 moves channel members out of the settings into channel_members,
// adds the channel version, types the queue target (queue_agent,
// queue_team), records what record_inbound found with each inbound message
// (new_contact, opened, survey_outcome) and gives contacts a name, 0006
// adds the event feed (events, feed_cursors, and the triggers and
// functions described below), 0007 adds conversation_labels, internal
// notes (messages of direction 'internal') and the inbox indexes
// (conversations by updated_at, contacts by phone, a pg_trgm GIN index on
// message bodies when the extension can be created): new features add
// tables and columns in new migrations, and released migrations never
// change. [Migrate] applies every migration it has not recorded, also one
// numbered below the highest recorded (migrations written on parallel
// branches land in either order).
//
// # The event feed
//
// store.Feed lives in the events table; positions are its seq. Triggers
// on messages and conversations write message.received, message.queued
// and conversation.opened inside the statements that insert those rows,
// so the webhook's two statements stay two. Sequence values commit out of
// order, so readers never go past a horizon (feed_horizon): each
// transaction writing events first takes a shared advisory lock keyed on
// the sequence's value at that moment (below all its rows), and the
// horizon is the lowest such key among transactions still running, or the
// sequence's last value when there are none; rows are read in a later
// statement than the one computing the horizon. Only transactions that
// write events hold readers back, and only while they run. While someone
// waits (WaitEvents), one watcher per Store (and 5 s after) reads the
// horizon every [Options.EventPoll] (50 ms) and at once when AppendEvents'
// NOTIFY livedesk_events (payload: the schema) arrives on its listening
// connection; the triggers of the webhook's path do not notify (a
// notifying commit holds a cluster-wide lock, which would serialize group
// commits).
//
// # Round trips and atomicity
//
// Every call of the inbox, the outbox, the reads and the agent, contact
// and survey records is one SQL statement, hence one transaction and (with
// pgx's statement cache warm) one round trip; Enqueue of a key already
// taken reads the existing message with a second one, UpdateChannel that
// writes nothing checks with a second one whether the channel exists
// (ErrNotFound) or changed (ErrConflict). UpdateChannel is a
// compare-and-swap: "WHERE id = $1 AND version = $2", checked again on the
// locked row, so of two updates read at one version exactly one wins.
// ChangeMember is one batch (one round trip, one implicit transaction):
// the change of its one channel_members row, under a KEY SHARE lock of the
// channel (and of an agent being added, so a concurrent DeleteAgent either
// removes the new row or makes the add ErrNotFound), then the channel read
// back. Concurrent member changes touch different rows or wait for each
// other on the same one: none is lost, and UpdateChannel never writes
// members. The ownership, resolution and AI-turn operations, DeleteAgent,
// Rekey and Migrate are explicit transactions (below). The webhook path is
// the one that counts:
//
//   - RecordInbound is a single SELECT of the plpgsql function
//     record_inbound, created by the migration. A function, rather than one
//     statement of data-modifying CTEs, because a CTE statement sees one
//     snapshot: it cannot read the message a concurrent delivery of the same
//     MessageSid committed while it waited, nor skip its own contact update
//     once it learns the message is a duplicate. Inside the function each
//     statement sees a fresh snapshot: it locks the contact row, then
//     checks the MessageSid and reads the open survey, then updates. On the
//     usual path (known contact, open conversation, no survey) that is three
//     statements inside the function, the last one updating the contact and
//     the conversation and inserting the message together (migration 0004).
//     Every call for one customer serializes on that row; calls for
//     different customers do not contend.
//   - FinishInbound with nothing to queue (the usual case) is one UPDATE
//     that marks the message processed and deletes its unprocessed row;
//     processed is in no index, so the update is HOT. With messages to
//     queue it is a single statement of data-modifying CTEs: it locks the
//     inbound row, inserts the queued messages with ON CONFLICT on their
//     key, marks the message processed and stamps the conversation.
//
// # Group commit
//
// Those two statements are grouped across concurrent webhooks: when
// several arrive at once, their RecordInbound and FinishInbound statements
// go to the server in one pgx batch, one round trip and one implicit
// transaction, so they share one commit and one WAL flush. A call never
// waits for company: with a connection free it goes at once, alone; the
// calls that arrive while [Options.GroupConns] batches (2 by default) are
// in flight form the next batch, up to [Options.GroupCommit] calls (32).
// Each call returns only after its own statement is committed, so an
// inbound message is still durable before the webhook is answered. A batch
// that fails (a statement one caller's input breaks, a deadlock, a lost
// connection) is run again call by call, so each caller gets its own
// outcome; both operations are idempotent, so running one again is safe.
// The record calls of a batch run in the order of their channel and phone,
// one global order for the contact locks they take. On the 2-core machine
// the README describes this is what lifts the handler from 1,400–1,900 to
// 2,900–3,800 inbound messages/s; GroupCommit 1 turns it off.
//
// Outbound claims use FOR UPDATE SKIP LOCKED with a lease token and expiry
// per message, and only the oldest message of a conversation still in the
// outbox may be claimed; CompleteOutbound only applies while the token
// holds. Delivery statuses move through the SQL function next_status, the
// same ranks as [store.NextStatus], evaluated on the locked row so
// concurrent callbacks cannot move a status back. AI turns are claimed the
// same way.
//
// The ownership and resolution operations (ChangeOwner, Resolve, Reopen,
// CompleteAITurn...) are explicit transactions that lock their rows with
// SELECT ... FOR NO KEY UPDATE in one global order, contact, then
// conversation, then agents in ID order, then the rest, so concurrent
// operations wait for each other instead of deadlocking. An agent's
// open-conversation count is only changed with its row locked: capacity
// holds across processes. ChangeOwner is four round trips (BEGIN, the
// locks of the contact, the conversation and the agents of From and To in
// one batch, the writes in another, COMMIT); every rule of
// store.Assignments.ChangeOwner is checked on the locked rows before
// anything is written, so a refused change writes nothing.
//
// The first use of each statement on a new connection costs one more round
// trip while pgx prepares it (the default QueryExecModeCacheStatement).
//
// # CSAT reports
//
// The Store implements [store.SurveyAggregator]: [Store.CSATReport]
// tallies the surveys in SQL, one GROUP BY GROUPING SETS statement that
// returns a row per agent, AI agent, channel and period instead of a row
// per survey, and equals what [csat.ReportBuilder] computes from
// ListSurveys (surveys not sent left out). Periods are bucketed in the
// report's *time.Location with Go's zone rules, not PostgreSQL's: Go
// passes the UTC offsets in force and the instants they change, so any
// location works (time.Local, time.FixedZone) and both sides agree on
// every daylight-saving change. When the zone has such changes and the
// filter leaves From or To open, a first statement reads the surveys' time
// range from an index, to bound the offsets passed.
//
// # Credentials at rest
//
// Without a [Keyring] (Options.Keys nil), channel Auth Tokens and API key
// secrets are stored in clear in the channels table: anyone who can read
// the table or a backup can use them. With a Keyring they are encrypted with
// AES-256-GCM as "v1:<key id>:<base64(nonce|ciphertext)>", bound to their
// channel and column. Keys are rotated by making a new key current (keeping
// the old ones) and calling [Store.Rekey], which re-encrypts every channel
// in one transaction; secrets stored in clear earlier are encrypted by it
// too. A secret whose key is missing or wrong fails with [ErrUnknownKey],
// [ErrDecrypt] or [ErrNoKeyring], naming the key ID, never the secret.
//
// # Times
//
// Times are stored as timestamptz at microsecond precision and returned in
// UTC. Zero times are stored as NULL where a time is optional.
//
// # Tests
//
// Package pgtest gives tests a pool and a fresh migrated schema each. The
// tests read the DSN from LIVEDESK_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable) and skip when no
// PostgreSQL answers, unless CI is set.
package pgstore
