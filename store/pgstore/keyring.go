package pgstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Errors about encrypted secrets. Their messages name the key ID, never the
// secret.
var (
	// ErrUnknownKey: a stored secret names a key ID the Keyring does not
	// have. Add the old key to the keys passed to NewKeyring (keep retired
	// keys until Rekey has run).
	ErrUnknownKey = errors.New("pgstore: unknown encryption key")
	// ErrDecrypt: a stored secret does not decrypt with the key it names:
	// the key bytes under that ID are wrong, or the value was altered.
	ErrDecrypt = errors.New("pgstore: cannot decrypt secret")
	// ErrNoKeyring: a stored secret is encrypted but the Store has no
	// Keyring (Options.Keys).
	ErrNoKeyring = errors.New("pgstore: secret is encrypted but no keyring is configured")
)

// KeySize is the size of a Keyring key: AES-256.
const KeySize = 32

// encPrefix starts every encrypted value: "v1:<key id>:<base64(nonce|ciphertext)>".
const encPrefix = "v1:"

// Keyring encrypts and decrypts secrets with AES-256-GCM. Each key has an ID
// that is stored with the ciphertext, so keys can be rotated: encrypt with
// the current key, decrypt with whichever key a value names. A Keyring is
// immutable and safe for concurrent use.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// NewKeyring returns a Keyring encrypting with keys[current]. Every key must
// be KeySize (32) random bytes; IDs must be non-empty and must not contain
// ':' or spaces. Keep retired keys in the map until [Store.Rekey] has
// re-encrypted everything with the current one.
func NewKeyring(current string, keys map[string][]byte) (*Keyring, error) {
	if _, ok := keys[current]; !ok {
		return nil, fmt.Errorf("pgstore: keyring: current key %q is not among the keys: add it", current)
	}
	k := &Keyring{current: current, aeads: make(map[string]cipher.AEAD, len(keys))}
	for id, key := range keys {
		if id == "" || strings.ContainsAny(id, ": \t\r\n") {
			return nil, fmt.Errorf("pgstore: keyring: key ID %q must be non-empty without ':' or spaces", id)
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("pgstore: keyring: key %q is %d bytes, want %d (AES-256): generate it with crypto/rand", id, len(key), KeySize)
		}
		block, err := aes.NewCipher(key) // copies the key schedule; the caller may reuse key
		if err != nil {
			return nil, fmt.Errorf("pgstore: keyring: key %q: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("pgstore: keyring: key %q: %w", id, err)
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// Current returns the ID of the key new values are encrypted with.
func (k *Keyring) Current() string { return k.current }

// Encrypt seals plaintext with the current key as
// "v1:<key id>:<base64(nonce|ciphertext)>". aad (associated data) binds the
// value to where it is stored: Decrypt needs the same aad, so a value copied
// elsewhere does not decrypt. The empty string stays empty.
func (k *Keyring) Encrypt(plaintext, aad string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	aead := k.aeads[k.current]
	buf := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("pgstore: keyring: nonce: %w", err)
	}
	buf = aead.Seal(buf, buf, []byte(plaintext), []byte(aad))
	return encPrefix + k.current + ":" + base64.StdEncoding.EncodeToString(buf), nil
}

// Decrypt opens a value made by Encrypt with the same aad, using the key the
// value names. A value that is not encrypted (no "v1:" prefix: stored before
// encryption was turned on) is returned as is. Errors wrap ErrUnknownKey or
// ErrDecrypt and name the key ID, never the secret.
func (k *Keyring) Decrypt(value, aad string) (string, error) {
	id, sealed, ok := splitEncrypted(value)
	if !ok {
		return value, nil
	}
	aead, ok := k.aeads[id]
	if !ok {
		return "", fmt.Errorf("%w %q: add it to the keys given to NewKeyring", ErrUnknownKey, id)
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return "", fmt.Errorf("%w with key %q: the stored value is malformed", ErrDecrypt, id)
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return "", fmt.Errorf("%w with key %q: the key is wrong or the value was altered", ErrDecrypt, id)
	}
	return string(plain), nil
}

// encryptedWith returns the key ID an encrypted value names.
func encryptedWith(value string) (string, bool) {
	id, _, ok := splitEncrypted(value)
	return id, ok
}

func splitEncrypted(value string) (id, sealed string, ok bool) {
	rest, ok := strings.CutPrefix(value, encPrefix)
	if !ok {
		return "", "", false
	}
	id, sealed, _ = strings.Cut(rest, ":") // a missing part fails decryption as malformed
	return id, sealed, true
}
