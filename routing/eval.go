package routing

import "strings"

// eval reports whether the compiled condition n holds for in. text and name are the folded
// message text and profile name, folded only when a rule needs them.
//
// The state is passed as arguments rather than in a struct behind a pointer: storing a slice
// through a pointer makes the compiler move the stack buffers behind it to the heap.
func eval(n *node, in *Input, text, name *folded) bool {
	switch n.op {
	case opAll:
		for i := range n.kids {
			if !eval(&n.kids[i], in, text, name) {
				return false
			}
		}
		return true
	case opAny:
		for i := range n.kids {
			if eval(&n.kids[i], in, text, name) {
				return true
			}
		}
		return false
	case opNot:
		return !eval(&n.kids[0], in, text, name)
	case opTextAny:
		return anyIn(text, n.pats)
	case opTextAll:
		for i := range n.pats {
			if !n.pats[i].in(text) {
				return false
			}
		}
		return true
	case opTextStart:
		for i := range n.pats {
			if n.pats[i].startOf(text) {
				return true
			}
		}
		return false
	case opTextRegexp:
		return n.re.match(in.Text)
	case opProfileAny:
		return anyIn(name, n.pats)
	case opMessageType:
		return n.mask&(1<<inputTypeBit(in.MessageType)) != 0
	case opButtonEq:
		return in.ButtonPayload == n.key
	case opButtonPrefix:
		return strings.HasPrefix(in.ButtonPayload, n.key)
	case opCountry:
		for _, c := range n.strs {
			if strings.EqualFold(in.ContactCountry, c) {
				return true
			}
		}
		return false
	case opPhonePrefix:
		phone := strings.TrimPrefix(in.ContactPhone, "whatsapp:")
		for _, p := range n.strs {
			if strings.HasPrefix(phone, p) {
				return true
			}
		}
		return false
	case opChannel:
		_, ok := n.set[in.ChannelID]
		return ok
	case opAttrExists:
		_, ok := in.Attributes[n.key]
		return ok
	case opAttrEquals:
		v, ok := in.Attributes[n.key]
		return ok && v == n.val
	case opAttrIn:
		v, ok := in.Attributes[n.key]
		if !ok {
			return false
		}
		_, ok = n.set[v]
		return ok
	case opOpen:
		return in.Open == n.want
	case opNewContact:
		return in.NewContact == n.want
	}
	return false
}
