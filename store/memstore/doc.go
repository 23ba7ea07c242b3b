// Package memstore is the in-memory [store.Store]: the desk's default when
// no store is configured.
//
// It is safe for concurrent use and passes the storetest conformance suite,
// but it keeps everything in the process's memory: data is lost when the
// process exits and it cannot be shared by several replicas. Use it for
// development, tests and single-process deployments that can afford to lose
// their history; use pgstore otherwise.
package memstore
