package store

import "errors"

// ErrNotFound is returned (possibly wrapped) when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrExists is returned when creating a record whose ID is already taken.
var ErrExists = errors.New("store: already exists")

// ErrConflict is returned when a write was based on a version of a record
// that is no longer current (UpdateChannel with a stale Version): nothing
// changed; read the record again, apply the change and write again.
var ErrConflict = errors.New("store: record changed since it was read")

// ErrInvalid is returned, before anything is written, for input no store
// accepts: a record that breaks the text rules every store shares (see
// InboundRecord.Check and StatusUpdate.Check), a malformed query or
// cursor, a bad label or note. Every store refuses the same input.
var ErrInvalid = errors.New("store: invalid input")
