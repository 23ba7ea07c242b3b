package store

import "errors"

// ErrNotFound is returned (possibly wrapped) when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrExists is returned when creating a record whose ID is already taken.
var ErrExists = errors.New("store: already exists")
