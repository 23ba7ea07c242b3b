package store

import "errors"

// ErrNotFound is returned (possibly wrapped) when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrExists is returned when creating a record whose ID is already taken.
var ErrExists = errors.New("store: already exists")

// ErrInvalid is returned, before anything is written, for a record that
// breaks the text rules every store shares (see InboundRecord.Check and
// StatusUpdate.Check): every store refuses the same records.
var ErrInvalid = errors.New("store: invalid record")
