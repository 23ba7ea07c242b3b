package pgstore

import (
	"strconv"
	"strings"
)

// queries holds every statement with the schema substituted, built once in
// New. pgx prepares and caches each per connection on first use.
type queries struct {
	// Channels.
	createChannel, updateChannel, channelExists, channel, listChannels, deleteChannel string
	lockSecrets, updateSecrets                                                        string
	// Members and contacts.
	addAgentMember, addAIMember, removeMember, enableMember, deleteAgentMembers string
	contactByPhone, updateContact                                               string
	// Inbox, conversations and the outbox.
	recordInbound, queue, finish, finishDurable, unprocessed               string
	conversation, listConversations, messages, conversationExists, contact string
	outboundByKey, claim, complete, applyByID, applySID                    string
	// Agents and assignment.
	createAgent, updateAgent, setAgentStatus, agent, listAgents, deleteAgent string
	lockAgent, releaseAgent, assignAgent, lastAgent, setCursor, cursor       string
	queuedConversations                                                      string
	lockConversation, lockContactOfConversation, saveConversation            string
	// AI turns.
	lockAITurn, newAITurn, replaceAITurn, requeueAITurn, dropAITurn, olderMessage, claimAITurns string
	// Resolutions and surveys.
	surveyExists, keyTaken, otherOpen, createSurvey, survey, listSurveys, expireSurveys string
}

func newQueries(schema string) queries {
	sub := func(sql string) string { return withSchema(sql, schema) }
	return queries{
		createChannel:      sub(createChannelSQL),
		updateChannel:      sub(updateChannelSQL),
		channelExists:      sub(channelExistsSQL),
		channel:            sub("SELECT " + channelReadColumns + " FROM {{schema}}.channels WHERE id = $1"),
		listChannels:       sub("SELECT " + channelReadColumns + " FROM {{schema}}.channels ORDER BY seq"),
		deleteChannel:      sub("DELETE FROM {{schema}}.channels WHERE id = $1"),
		lockSecrets:        sub(lockSecretsSQL),
		updateSecrets:      sub(updateSecretsSQL),
		recordInbound:      sub(recordInboundSQL()),
		queue:              sub(queueSQL()),
		finish:             sub(finishSQL()),
		finishDurable:      sub(finishDurableSQL()),
		unprocessed:        sub(unprocessedSQL()),
		conversation:       sub("SELECT " + cols(conversationColumns, "") + " FROM {{schema}}.conversations WHERE id = $1"),
		listConversations:  sub("SELECT " + cols(conversationColumns, "") + " FROM {{schema}}.conversations"),
		messages:           sub(messagesSQL()),
		conversationExists: sub("SELECT EXISTS (SELECT 1 FROM {{schema}}.conversations WHERE id = $1)"),
		contact:            sub("SELECT " + cols(contactColumns, "") + " FROM {{schema}}.contacts WHERE id = $1"),
		outboundByKey:      sub("SELECT " + cols(messageColumns, "") + " FROM {{schema}}.messages WHERE key = $1 AND direction = 'out'"),
		claim:              sub(claimSQL()),
		complete:           sub(completeSQL()),
		applyByID:          sub(applyStatusSQL("m.id = $1 AND ($2 = '' OR m.channel_id = $2)")),
		applySID:           sub(applyStatusSQL("m.channel_id = $2 AND m.sid = $3 AND $1 = ''")),

		createAgent:               sub(createAgentSQL),
		updateAgent:               sub(updateAgentSQL()),
		setAgentStatus:            sub(setAgentStatusSQL()),
		agent:                     sub(agentSQL()),
		listAgents:                sub(listAgentsSQL()),
		deleteAgent:               sub("DELETE FROM {{schema}}.agents WHERE id = $1"),
		lockAgent:                 sub(lockAgentSQL()),
		releaseAgent:              sub(releaseAgentSQL),
		assignAgent:               sub(assignAgentSQL),
		lastAgent:                 sub(lastAgentSQL),
		setCursor:                 sub(setCursorSQL),
		cursor:                    sub(cursorSQL),
		queuedConversations:       sub(queuedConversationsSQL()),
		lockConversation:          sub(lockConversationSQL()),
		lockContactOfConversation: sub(lockContactOfConversationSQL),
		saveConversation:          sub(saveConversationSQL()),

		addAgentMember:     sub(addAgentMemberSQL),
		addAIMember:        sub(addAIMemberSQL),
		removeMember:       sub(removeMemberSQL),
		enableMember:       sub(enableMemberSQL),
		deleteAgentMembers: sub(deleteAgentMembersSQL),
		contactByPhone:     sub("SELECT " + cols(contactColumns, "") + " FROM {{schema}}.contacts WHERE channel_id = $1 AND phone = $2"),
		updateContact:      sub(updateContactSQL()),

		lockAITurn:    sub(lockAITurnSQL),
		newAITurn:     sub(newAITurnSQL),
		replaceAITurn: sub(replaceAITurnSQL),
		requeueAITurn: sub(requeueAITurnSQL),
		dropAITurn:    sub(dropAITurnSQL),
		olderMessage:  sub(olderMessageSQL),
		claimAITurns:  sub(claimAITurnsSQL()),

		surveyExists:  sub(surveyExistsSQL),
		keyTaken:      sub(keyTakenSQL),
		otherOpen:     sub(otherOpenSQL),
		createSurvey:  sub(createSurveySQL()),
		survey:        sub("SELECT " + cols(surveyColumns, "") + " FROM {{schema}}.surveys WHERE id = $1"),
		listSurveys:   sub("SELECT " + cols(surveyColumns, "") + " FROM {{schema}}.surveys"),
		expireSurveys: sub(expireSurveysSQL),
	}
}

// withLimit writes a claim's LIMIT into its text at {{limit}} (none for
// limit <= 0). Written, not a parameter: with a known small limit the
// planner walks the index in order and stops early, where a generic plan
// for "LIMIT $n" may read and sort everything due. Each distinct limit is
// its own cached statement.
func withLimit(sql string, limit int) string {
	clause := ""
	if limit > 0 {
		clause = "LIMIT " + strconv.Itoa(limit)
	}
	return strings.Replace(sql, "{{limit}}", clause, 1)
}
