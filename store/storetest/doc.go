// Package storetest is the conformance suite for [store.Store]
// implementations: the single source of truth for the Store contract.
//
// Every built-in store runs it, and so should a custom one:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			return mystore.New(openTestDB(t))
//		})
//	}
//
// newStore is called once per subtest and must return an empty store; use
// t.Cleanup to release it. Subtests run one after another. The suite uses
// the standard testing package only.
package storetest
