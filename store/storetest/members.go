package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

func changeMember(t *testing.T, s store.Store, c store.MemberChange) channel.Channel {
	t.Helper()
	ch, err := s.ChangeMember(ctx(t), c, t0)
	noErr(t, err, fmt.Sprintf("ChangeMember(%+v)", c))
	return ch
}

func wantMembers(t *testing.T, ch channel.Channel, agents []string, ai []channel.AIAgentRef, what string) {
	t.Helper()
	a := ch.Settings.Assignment
	if !slices.Equal(a.Agents, agents) && (len(a.Agents) != 0 || len(agents) != 0) {
		t.Fatalf("%s: agents %v, want %v", what, a.Agents, agents)
	}
	if !slices.Equal(a.AIAgents, ai) && (len(a.AIAgents) != 0 || len(ai) != 0) {
		t.Fatalf("%s: AI agents %v, want %v", what, a.AIAgents, ai)
	}
}

func storedMembers(t *testing.T, s store.Store, id string, agents []string, ai []channel.AIAgentRef, what string) {
	t.Helper()
	ch, err := s.Channel(ctx(t), id)
	noErr(t, err, "Channel")
	wantMembers(t, ch, agents, ai, what)
	list, err := s.ListChannels(ctx(t))
	noErr(t, err, "ListChannels")
	for _, c := range list {
		if c.ID == id {
			wantMembers(t, c, agents, ai, what+" (ListChannels)")
		}
	}
}

var memberCases = []testCase{
	{"create stores the members given; add appends, keeps order, is idempotent", func(t *testing.T, s store.Store) {
		for _, id := range []string{"a1", "a2", "a3"} {
			mustCreateAgent(t, s, id, 0)
		}
		ch := testChannel("ch1")
		ch.Settings.Assignment.Agents = []string{"a2"}
		ch.Settings.Assignment.AIAgents = []channel.AIAgentRef{{ID: "bot", Enabled: true}}
		noErr(t, s.CreateChannel(ctx(t), ch), "CreateChannel")
		storedMembers(t, s, "ch1", []string{"a2"}, []channel.AIAgentRef{{ID: "bot", Enabled: true}}, "created")
		got := changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: "a1", Op: store.MemberAdd})
		wantMembers(t, got, []string{"a2", "a1"}, []channel.AIAgentRef{{ID: "bot", Enabled: true}}, "returned")
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: "a2", Op: store.MemberAdd})
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AIAgentID: "gpt", Op: store.MemberAdd})
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AIAgentID: "bot", Op: store.MemberAdd, Enabled: false})
		storedMembers(t, s, "ch1", []string{"a2", "a1"}, []channel.AIAgentRef{{ID: "bot"}, {ID: "gpt"}}, "after adds")
		equal(t, mustChannel(t, s, "ch1").Version, int64(1), "membership does not change the settings version")
	}},
	{"remove and enable; enabling an absent AI agent is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateAgent(t, s, "a1", 0)
		mustCreateChannel(t, s, "ch1")
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: "a1", Op: store.MemberAdd})
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AIAgentID: "bot", Op: store.MemberAdd})
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AIAgentID: "bot", Op: store.MemberEnable, Enabled: true})
		storedMembers(t, s, "ch1", []string{"a1"}, []channel.AIAgentRef{{ID: "bot", Enabled: true}}, "enabled")
		_, err := s.ChangeMember(ctx(t), store.MemberChange{ChannelID: "ch1", AIAgentID: "gpt", Op: store.MemberEnable, Enabled: true}, t0)
		wantErr(t, err, store.ErrNotFound, "enable absent")
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: "a1", Op: store.MemberRemove})
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: "a1", Op: store.MemberRemove})
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AIAgentID: "bot", Op: store.MemberRemove})
		storedMembers(t, s, "ch1", nil, nil, "removed")
	}},
	{"unknown channel or agent is ErrNotFound; malformed changes are refused; nothing changes", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		_, err := s.ChangeMember(ctx(t), store.MemberChange{ChannelID: "nope", AIAgentID: "bot", Op: store.MemberAdd}, t0)
		wantErr(t, err, store.ErrNotFound, "unknown channel")
		_, err = s.ChangeMember(ctx(t), store.MemberChange{ChannelID: "ch1", AgentID: "ghost", Op: store.MemberAdd}, t0)
		wantErr(t, err, store.ErrNotFound, "unknown agent")
		for _, c := range []store.MemberChange{
			{ChannelID: "ch1", Op: store.MemberAdd},
			{ChannelID: "ch1", AgentID: "a", AIAgentID: "b", Op: store.MemberAdd},
			{ChannelID: "ch1", AIAgentID: "b", Op: "promote"},
			{ChannelID: "ch1", AgentID: "a", Op: store.MemberEnable},
		} {
			if _, err := s.ChangeMember(ctx(t), c, t0); err == nil {
				t.Fatalf("ChangeMember(%+v) accepted", c)
			}
		}
		storedMembers(t, s, "ch1", nil, nil, "unchanged")
	}},
	{"update with a copy read before a member change keeps the members", func(t *testing.T, s store.Store) {
		mustCreateAgent(t, s, "a1", 0)
		stale := mustCreateChannel(t, s, "ch1")
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: "a1", Op: store.MemberAdd})
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AIAgentID: "bot", Op: store.MemberAdd, Enabled: true})
		stale.Name = "Renamed"
		stale.Settings.Assignment.Agents = []string{"someone-else"}
		got, err := s.UpdateChannel(ctx(t), stale)
		noErr(t, err, "UpdateChannel")
		wantMembers(t, got, []string{"a1"}, []channel.AIAgentRef{{ID: "bot", Enabled: true}}, "returned")
		storedMembers(t, s, "ch1", []string{"a1"}, []channel.AIAgentRef{{ID: "bot", Enabled: true}}, "stored")
		equal(t, mustChannel(t, s, "ch1").Name, "Renamed", "Name")
		_, err = s.UpdateChannel(ctx(t), stale)
		wantErr(t, err, store.ErrConflict, "second update from the same copy")
		storedMembers(t, s, "ch1", []string{"a1"}, []channel.AIAgentRef{{ID: "bot", Enabled: true}}, "after the conflict")
	}},
	{"the returned slices are the caller's own", func(t *testing.T, s store.Store) {
		mustCreateAgent(t, s, "a1", 0)
		mustCreateAgent(t, s, "a2", 0)
		mustCreateChannel(t, s, "ch1")
		changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: "a1", Op: store.MemberAdd})
		ch := mustChannel(t, s, "ch1")
		ch.Settings.Assignment.Agents[0] = "x"
		_ = append(ch.Settings.Assignment.Agents[:1], "y")
		storedMembers(t, s, "ch1", []string{"a1"}, nil, "unchanged by the caller's writes")
	}},
	{"deleting an agent or a channel removes its memberships", func(t *testing.T, s store.Store) {
		mustCreateAgent(t, s, "a1", 0)
		mustCreateAgent(t, s, "a2", 0)
		mustCreateChannel(t, s, "ch1")
		mustCreateChannel(t, s, "ch2")
		for _, ch := range []string{"ch1", "ch2"} {
			for _, a := range []string{"a1", "a2"} {
				changeMember(t, s, store.MemberChange{ChannelID: ch, AgentID: a, Op: store.MemberAdd})
			}
		}
		noErr(t, s.DeleteAgent(ctx(t), "a1"), "DeleteAgent")
		storedMembers(t, s, "ch1", []string{"a2"}, nil, "ch1")
		storedMembers(t, s, "ch2", []string{"a2"}, nil, "ch2")
		noErr(t, s.DeleteChannel(ctx(t), "ch1"), "DeleteChannel")
		noErr(t, s.CreateChannel(ctx(t), testChannel("ch1")), "CreateChannel again")
		storedMembers(t, s, "ch1", nil, nil, "a new channel with the old ID starts empty")
	}},
	{"50 concurrent add, remove and enable calls leave exactly the expected membership", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		for i := range 30 {
			mustCreateAgent(t, s, fmt.Sprintf("a%02d", i), 0)
		}
		// Agents a00-a09 start as members and are removed; a10-a29 are
		// added. AI agents b0-b9 start disabled and are enabled.
		for i := range 10 {
			changeMember(t, s, store.MemberChange{ChannelID: "ch1", AgentID: fmt.Sprintf("a%02d", i), Op: store.MemberAdd})
			changeMember(t, s, store.MemberChange{ChannelID: "ch1", AIAgentID: fmt.Sprintf("b%d", i), Op: store.MemberAdd})
		}
		parallel(t, 50, func(i int) error {
			var c store.MemberChange
			switch {
			case i < 10:
				c = store.MemberChange{ChannelID: "ch1", AgentID: fmt.Sprintf("a%02d", i), Op: store.MemberRemove}
			case i < 30:
				c = store.MemberChange{ChannelID: "ch1", AgentID: fmt.Sprintf("a%02d", i), Op: store.MemberAdd}
			case i < 40:
				c = store.MemberChange{ChannelID: "ch1", AIAgentID: fmt.Sprintf("b%d", i-30), Op: store.MemberEnable, Enabled: true}
			default:
				c = store.MemberChange{ChannelID: "ch1", AIAgentID: fmt.Sprintf("c%d", i-40), Op: store.MemberAdd, Enabled: true}
			}
			_, err := s.ChangeMember(ctx(t), c, t0)
			return err
		})
		ch := mustChannel(t, s, "ch1")
		agents := slices.Sorted(slices.Values(ch.Settings.Assignment.Agents))
		var want []string
		for i := 10; i < 30; i++ {
			want = append(want, fmt.Sprintf("a%02d", i))
		}
		if !slices.Equal(agents, want) {
			t.Fatalf("agents %v, want %v", agents, want)
		}
		ai := ch.Settings.Assignment.AIAgents
		equal(t, len(ai), 20, "AI agents")
		for i, r := range ai[:10] {
			equal(t, r, channel.AIAgentRef{ID: fmt.Sprintf("b%d", i), Enabled: true}, "the first ten keep their place, enabled")
		}
		for _, r := range ai[10:] {
			equal(t, r.Enabled, true, r.ID+" enabled")
		}
	}},
}

func mustChannel(t *testing.T, s store.Store, id string) channel.Channel {
	t.Helper()
	ch, err := s.Channel(ctx(t), id)
	noErr(t, err, "Channel("+id+")")
	return ch
}
