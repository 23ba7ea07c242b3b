-- 0003_survey_reports: surveys remember why they could not be sent, and
-- CSAT reports computed in SQL (Store.CSATReport) find a channel's or an
-- agent's surveys by time.
--
-- {{schema}} is replaced by the quoted schema name before this runs.

-- not_sent is store.Survey.NotSent: non-empty for a survey created closed
-- because it could not be sent; such a survey counts in no report.
ALTER TABLE {{schema}}.surveys
	ADD COLUMN not_sent text NOT NULL DEFAULT '';

-- A report (or ListSurveys) of one channel or one agent, over a time
-- range or not, reads those rows instead of every survey.
CREATE INDEX surveys_channel_sent ON {{schema}}.surveys (channel_id, sent_at);
CREATE INDEX surveys_agent_sent ON {{schema}}.surveys (agent_id, sent_at) WHERE agent_id IS NOT NULL;
