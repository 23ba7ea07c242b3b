package twilio

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Param is one form parameter, decoded.
type Param struct {
	Key, Value string
}

// Form is a decoded application/x-www-form-urlencoded body, sorted by key
// then value: the order Twilio signs parameters in. It keeps every
// parameter, repeated keys included.
type Form struct {
	params []Param
}

// ErrMalformedForm is wrapped by ParseForm's errors.
var ErrMalformedForm = errors.New("twilio: malformed form body")

// ParseForm decodes a form body. Unlike url.ParseQuery it keeps the
// parameters in one sorted slice, which costs a few allocations instead of
// a map and a slice per key. A bad percent-escape or a ';' separator is an
// error wrapping ErrMalformedForm.
func ParseForm(body []byte) (Form, error) {
	if len(body) == 0 {
		return Form{}, nil
	}
	raw := string(body) // one copy; unescaped values are substrings of it
	params := make([]Param, 0, bytes.Count(body, []byte{'&'})+1)
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		if kv == "" {
			continue
		}
		if strings.IndexByte(kv, ';') >= 0 {
			return Form{}, fmt.Errorf("%w: ';' is not a parameter separator", ErrMalformedForm)
		}
		k, v, _ := strings.Cut(kv, "=")
		var err error
		if k, err = unescape(k); err != nil {
			return Form{}, err
		}
		if v, err = unescape(v); err != nil {
			return Form{}, err
		}
		params = append(params, Param{k, v})
	}
	sortParams(params)
	return Form{params: params}, nil
}

func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	u, err := url.QueryUnescape(s)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrMalformedForm, err)
	}
	return u, nil
}

func sortParams(ps []Param) {
	slices.SortFunc(ps, func(a, b Param) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}

// FormFromValues builds a Form from url.Values (for tests and tools).
func FormFromValues(v url.Values) Form {
	var ps []Param
	for k, vs := range v {
		for _, x := range vs {
			ps = append(ps, Param{k, x})
		}
	}
	sortParams(ps)
	return Form{params: ps}
}

// Get returns the first value of key, or "".
func (f Form) Get(key string) string {
	i, ok := slices.BinarySearchFunc(f.params, key, func(p Param, k string) int { return cmp.Compare(p.Key, k) })
	if !ok {
		return ""
	}
	return f.params[i].Value
}

// Has reports whether key is present.
func (f Form) Has(key string) bool {
	_, ok := slices.BinarySearchFunc(f.params, key, func(p Param, k string) int { return cmp.Compare(p.Key, k) })
	return ok
}

// Params returns the parameters in signing order. The slice must not be
// modified.
func (f Form) Params() []Param { return f.params }

// Len is the number of parameters.
func (f Form) Len() int { return len(f.params) }

// Encode returns the form as a body, in signing order.
func (f Form) Encode() string {
	var b strings.Builder
	for i, p := range f.params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return b.String()
}
