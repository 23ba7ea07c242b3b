// Package store defines the records the desk keeps and the [Store] contract
// every storage backend fulfils.
//
// # The contract
//
// [Store] is a set of small interfaces ([Channels], [Inbox],
// [Conversations], [Outbox]). Each method takes a context first and its doc
// comment is the implementer's rulebook: what is returned when nothing is
// found ([ErrNotFound]), what is idempotent, what is atomic. The conformance
// suite in package storetest checks every rule, including the concurrent ones,
// and both built-in stores (memstore, pgstore) run it. A custom Store should
// run it too:
//
//	func TestMyStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return mystore.New(...) })
//	}
//
// # Records
//
// Records are plain values. A store returns copies; a caller may keep them.
// Pointer and map fields inside a returned record ([Message.Inbound],
// [Contact.Attributes]) may be shared with the store and must be treated as
// read-only.
//
// # Identifiers
//
// The store assigns IDs (UUIDs) to the records it creates when the caller
// leaves ID empty.
package store
