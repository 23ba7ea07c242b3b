package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/store"
)

func (c *Console) agentRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /agents", c.agentList)
	m.HandleFunc("POST /agents", c.admin(c.agentCreate))
	m.HandleFunc("POST /agents/{id}", c.admin(c.agentUpdate))
	m.HandleFunc("POST /agents/{id}/status", c.agentStatus)
}

type agentsData struct {
	Agents []store.Agent
	Me     string
	New    store.Agent // the create form after an error
}

func (c *Console) agentList(w http.ResponseWriter, r *http.Request) {
	c.showAgents(w, r, http.StatusOK, page{}, store.Agent{})
}

func (c *Console) showAgents(w http.ResponseWriter, r *http.Request, code int, p page, form store.Agent) {
	as, err := c.opts.Desk.Agents(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Title, p.Nav, p.Data = "Agents", "agents", agentsData{Agents: as, Me: info(r).user.AgentID, New: form}
	c.render(w, r, "agents", code, p)
}

func readAgent(r *http.Request) store.Agent {
	a := store.Agent{ID: strings.TrimSpace(r.PostFormValue("id")), Name: strings.TrimSpace(r.PostFormValue("name"))}
	a.Capacity, _ = strconv.Atoi(strings.TrimSpace(r.PostFormValue("capacity")))
	for _, t := range strings.Split(r.PostFormValue("teams"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			a.Teams = append(a.Teams, t)
		}
	}
	return a
}

func (c *Console) agentCreate(w http.ResponseWriter, r *http.Request) {
	a := readAgent(r)
	a.Status = store.AgentOffline
	if _, err := c.opts.Desk.CreateAgent(r.Context(), a); err != nil {
		c.agentError(w, r, err, a)
		return
	}
	c.back(w, r, "/agents", "Agent "+a.Name+" added.")
}

func (c *Console) agentUpdate(w http.ResponseWriter, r *http.Request) {
	a := readAgent(r)
	a.ID = r.PathValue("id")
	if _, err := c.opts.Desk.UpdateAgent(r.Context(), a); err != nil {
		c.agentError(w, r, err, store.Agent{})
		return
	}
	c.back(w, r, "/agents", "Agent "+a.Name+" saved.")
}

// agentStatus sets online / away / offline. An agent may set only their
// own status; an admin anyone's.
func (c *Console) agentStatus(w http.ResponseWriter, r *http.Request) {
	u, id := info(r).user, r.PathValue("id")
	if u.Role != RoleAdmin && u.AgentID != id {
		c.refuse(w, r, http.StatusForbidden, "You can change only your own status.")
		return
	}
	a, err := c.opts.Desk.SetAgentStatus(r.Context(), id, store.AgentStatus(r.PostFormValue("status")))
	if err != nil {
		c.agentError(w, r, err, store.Agent{})
		return
	}
	c.back(w, r, "/agents", a.Name+" is "+string(a.Status)+".")
}

func (c *Console) agentError(w http.ResponseWriter, r *http.Request, err error, form store.Agent) {
	switch {
	case errors.Is(err, livedesk.ErrBadAgent), errors.Is(err, livedesk.ErrExists), errors.Is(err, livedesk.ErrNotFound):
		c.showAgents(w, r, http.StatusUnprocessableEntity, page{Error: strings.TrimPrefix(err.Error(), "livedesk: ")}, form)
	default:
		c.fail(w, r, err)
	}
}
