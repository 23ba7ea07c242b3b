package routing

import (
	"errors"
	"fmt"
)

// ErrUnknownStrategy is matched (errors.Is) by the error for a strategy name that is not one of
// the Strategy constants.
var ErrUnknownStrategy = errors.New("routing: unknown assignment strategy")

// Strategy names an assignment strategy in channel settings. The zero value means the default,
// StrategyLeastLoaded. It marshals as its name and unmarshals (JSON, text) only from a known name
// or "".
type Strategy string

// The assignment strategies.
const (
	// StrategyLeastLoaded selects LeastLoaded: fewest open conversations relative to capacity.
	StrategyLeastLoaded Strategy = "least_loaded"
	// StrategyRoundRobin selects RoundRobin: agents in turn, in ID order.
	StrategyRoundRobin Strategy = "round_robin"
)

// ParseStrategy returns the Assigner named s ("least_loaded", "round_robin", or "" for the
// default least_loaded).
func ParseStrategy(s string) (Assigner, error) { return Strategy(s).Assigner() }

// Assigner returns the Assigner that s names.
func (s Strategy) Assigner() (Assigner, error) {
	switch s {
	case "", StrategyLeastLoaded:
		return LeastLoaded{}, nil
	case StrategyRoundRobin:
		return RoundRobin{}, nil
	}
	return nil, fmt.Errorf("%w %q; use %q or %q", ErrUnknownStrategy, string(s), StrategyLeastLoaded, StrategyRoundRobin)
}

// Validate returns an error matching ErrUnknownStrategy when s is not a known strategy or "".
func (s Strategy) Validate() error {
	_, err := s.Assigner()
	return err
}

// MarshalText returns the name, refusing unknown names so invalid settings are never stored.
func (s Strategy) MarshalText() ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// UnmarshalText accepts a known strategy name or "" (the default).
func (s *Strategy) UnmarshalText(text []byte) error {
	v := Strategy(text)
	if err := v.Validate(); err != nil {
		return err
	}
	*s = v
	return nil
}
