package csat

import "time"

// Entry is one survey as the desk's store keeps it: the record a report is
// built from. The agent fields are the ones captured when the survey was
// sent, not when it was answered.
type Entry struct {
	// ChannelID is the channel the survey was sent on.
	ChannelID string `json:"channel_id"`
	// AgentID is the human agent the conversation was assigned to, if any.
	AgentID string `json:"agent_id,omitempty"`
	// AIAgentID is the AI agent that owned the conversation, if any.
	AIAgentID string `json:"ai_agent_id,omitempty"`
	// SentAt is when the survey was sent; reports filter and group on it.
	SentAt time.Time `json:"sent_at"`
	// Rating is the answer, 1..5, or 0 when the customer did not answer.
	// Any other value is counted as no answer.
	Rating int `json:"rating,omitempty"`
}

// Tally counts surveys and their answers. The zero value is empty and ready
// to use; a store that aggregates in SQL may fill the fields directly, keeping
// Responses equal to the sum of Counts.
type Tally struct {
	// Sent is the number of surveys sent.
	Sent int `json:"sent"`
	// Responses is the number of surveys answered.
	Responses int `json:"responses"`
	// Counts[i] is the number of answers i+1: Counts[0] counts the 1s.
	Counts [5]int `json:"counts"`
}

// Add counts e's survey and its answer.
func (t *Tally) Add(e Entry) { t.AddSurvey(e.Rating) }

// AddSurvey counts one survey sent, answered with rating (1..5), or not
// answered (0, or anything off the scale).
func (t *Tally) AddSurvey(rating int) {
	t.Sent++
	if rating >= 1 && rating <= 5 {
		t.Responses++
		t.Counts[rating-1]++
	}
}

// Merge adds o's counts to t, so tallies built separately (per shard, per
// store page) combine into the tally of all their surveys.
func (t *Tally) Merge(o Tally) {
	t.Sent += o.Sent
	t.Responses += o.Responses
	for i := range t.Counts {
		t.Counts[i] += o.Counts[i]
	}
}

// answered is the number of answers in Counts, the denominator of Average,
// CSAT and Distribution.
func (t Tally) answered() int {
	n := 0
	for _, c := range t.Counts {
		n += c
	}
	return n
}

// Average is the mean answer, 1..5, or 0 when there is no answer.
func (t Tally) Average() float64 {
	n, sum := t.answered(), 0
	if n == 0 {
		return 0
	}
	for i, c := range t.Counts {
		sum += (i + 1) * c
	}
	return float64(sum) / float64(n)
}

// ResponseRate is the share of surveys answered, Responses/Sent, 0 when none
// was sent.
func (t Tally) ResponseRate() float64 {
	if t.Sent == 0 {
		return 0
	}
	return float64(t.Responses) / float64(t.Sent)
}

// CSAT is the customer satisfaction score: the share of answers that are 4 or
// 5, 0..1 (multiply by 100 for the usual percentage), 0 when there is no
// answer.
func (t Tally) CSAT() float64 {
	n := t.answered()
	if n == 0 {
		return 0
	}
	return float64(t.Counts[3]+t.Counts[4]) / float64(n)
}

// Distribution is the share of each answer among answers: Distribution()[0]
// is the share of 1s. It sums to 1, or is all zeros when there is no answer.
// Counts holds the same figures as numbers.
func (t Tally) Distribution() [5]float64 {
	var d [5]float64
	n := t.answered()
	if n == 0 {
		return d
	}
	for i, c := range t.Counts {
		d[i] = float64(c) / float64(n)
	}
	return d
}
