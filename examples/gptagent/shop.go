package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
)

// order is one of the bakery's orders, as the host application keeps it.
type order struct {
	ID       string `json:"id"`
	Phone    string `json:"-"` // whose order it is; never given to the model
	Items    string `json:"items"`
	Status   string `json:"status"`
	Delivery string `json:"delivery"`
}

// shop is the host's own data: an in-memory map standing in for its
// database.
type shop struct {
	orders map[string]order
}

func newShop() *shop {
	return &shop{orders: map[string]order{
		"1042": {ID: "1042", Phone: "+33612345678", Items: "1 chocolate cake for 10", Status: "baking", Delivery: "Saturday 15:00, Villeurbanne"},
		"1043": {ID: "1043", Phone: "+33612345678", Items: "12 croissants", Status: "delivered", Delivery: "Tuesday 8:00, Lyon 3e"},
		"2001": {ID: "2001", Phone: "+33699999999", Items: "1 baguette", Status: "ready", Delivery: "pick-up"},
	}}
}

// lookupTool is the host tool the model may call: an order lookup, limited
// to the orders of the customer asking.
func (s *shop) lookupTool() openai.Tool {
	return openai.Tool{
		Name:        "lookup_order",
		Description: "Look up one of this customer's orders by its number: items, status and delivery.",
		Parameters: map[string]any{
			"type": "object",
			"properties": map[string]any{
				"order_id": map[string]any{"type": "string", "description": "The order number, e.g. 1042."},
			},
			"required":             []string{"order_id"},
			"additionalProperties": false,
		},
		Handler: s.lookup,
	}
}

// lookup runs a lookup_order call. An order that does not exist, or is
// someone else's, is an error the model is told about (it can ask the
// customer to check the number); it never learns whose order it was.
func (s *shop) lookup(_ context.Context, req livedesk.AIRequest, arguments json.RawMessage) (string, error) {
	var args struct {
		OrderID string `json:"order_id"`
	}
	if err := json.Unmarshal(arguments, &args); err != nil {
		return "", openai.ModelError(fmt.Errorf("bad arguments: %v", err))
	}
	o, ok := s.orders[strings.TrimPrefix(strings.TrimSpace(args.OrderID), "#")]
	if !ok || o.Phone != req.Contact.Phone {
		return "", openai.ModelError(fmt.Errorf("no order %q for this customer", args.OrderID))
	}
	b, err := json.Marshal(o)
	return string(b), err
}

// channelPrompts are the business's instructions per channel: one agent
// answers both.
var channelPrompts = map[string]string{
	"lyon": `You answer WhatsApp messages for Le Fournil, a bakery at 3 rue de la République, Lyon.
Delivery: Lyon and Villeurbanne only, 3 euros, orders before 11:00 are delivered the same afternoon.
Custom cakes: order at least 48 hours ahead; from 25 euros for 6 people; the orders team confirms every custom order.
Refunds and invoices are handled by the billing team. Use lookup_order for questions about an order.`,
	"paris": `You answer WhatsApp messages for Le Fournil Paris, 12 rue Oberkampf. No delivery: pick-up only.
Use lookup_order for questions about an order.`,
}

// context is the prompt hook (openai.Config.Context): the channel's
// instructions, the Agent's default context (customer name and attributes,
// current time, business hours), then the customer's open orders from the
// host's data.
func (s *shop) context(_ context.Context, req livedesk.AIRequest) (string, error) {
	var b strings.Builder
	b.WriteString(channelPrompts[req.ChannelID])
	if c := openai.DefaultContext(req); c != "" {
		b.WriteString("\n\n" + c)
	}
	var open []string
	for _, o := range s.orders {
		if o.Phone == req.Contact.Phone && o.Status != "delivered" {
			open = append(open, "#"+o.ID)
		}
	}
	sort.Strings(open)
	if len(open) > 0 {
		b.WriteString("\nCustomer's open orders: " + strings.Join(open, ", "))
	}
	return b.String(), nil
}
