package pgstore_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/store/pgstore"
)

func TestNewKeyringRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		current string
		keys    map[string][]byte
		want    string
	}{
		{"current key missing", "k9", map[string][]byte{"k1": key(1)}, `current key "k9"`},
		{"no keys at all", "k1", nil, `current key "k1"`},
		{"short key", "k1", map[string][]byte{"k1": key(1)[:16]}, "16 bytes, want 32"},
		{"long key", "k1", map[string][]byte{"k1": append(key(1), 0)}, "33 bytes, want 32"},
		{"empty ID", "k1", map[string][]byte{"k1": key(1), "": key(2)}, `key ID ""`},
		{"ID with a colon", "a:b", map[string][]byte{"a:b": key(1)}, `key ID "a:b"`},
		{"ID with a space", "a b", map[string][]byte{"a b": key(1)}, `key ID "a b"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := pgstore.NewKeyring(c.current, c.keys)
			require.ErrorContains(t, err, c.want)
			require.True(t, strings.HasPrefix(err.Error(), "pgstore: "), err.Error())
		})
	}
}

func TestKeyring(t *testing.T) {
	t.Parallel()
	const secret, aad = "0123456789abcdef0123456789abcdef", "livedesk/channels/ch1/auth_token"
	k1 := testKeyring(t, "k1", "k1")
	sealed, err := k1.Encrypt(secret, aad)
	require.NoError(t, err)

	t.Run("format names the key and hides the secret", func(t *testing.T) {
		require.True(t, strings.HasPrefix(sealed, "v1:k1:"), sealed)
		require.NotContains(t, sealed, secret)
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:k1:"))
		require.NoError(t, err)
		require.Len(t, raw, 12+len(secret)+16, "nonce | ciphertext | tag")
	})
	t.Run("round trip", func(t *testing.T) {
		got, err := k1.Decrypt(sealed, aad)
		require.NoError(t, err)
		require.Equal(t, secret, got)
	})
	t.Run("each encryption uses a fresh nonce", func(t *testing.T) {
		again, err := k1.Encrypt(secret, aad)
		require.NoError(t, err)
		require.NotEqual(t, sealed, again)
	})
	t.Run("empty stays empty", func(t *testing.T) {
		got, err := k1.Encrypt("", aad)
		require.NoError(t, err)
		require.Empty(t, got)
	})
	t.Run("clear values pass through", func(t *testing.T) {
		got, err := k1.Decrypt(secret, aad)
		require.NoError(t, err)
		require.Equal(t, secret, got)
	})
	t.Run("an old key still decrypts after rotation", func(t *testing.T) {
		rotated := testKeyring(t, "k2", "k1", "k2")
		require.Equal(t, "k2", rotated.Current())
		got, err := rotated.Decrypt(sealed, aad)
		require.NoError(t, err)
		require.Equal(t, secret, got)
		resealed, err := rotated.Encrypt(secret, aad)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(resealed, "v1:k2:"), resealed)
	})

	tampered := []byte(sealed)
	tampered[len(tampered)-3] ^= 1 // stays valid base64, breaks the tag
	failures := []struct {
		name   string
		ring   *pgstore.Keyring
		value  string
		aad    string
		target error
		keyID  string
	}{
		{"unknown key ID", testKeyring(t, "k2", "k2"), sealed, aad, pgstore.ErrUnknownKey, `"k1"`},
		{"wrong key under the same ID", wrongK1(t), sealed, aad, pgstore.ErrDecrypt, `"k1"`},
		{"tampered ciphertext", k1, string(tampered), aad, pgstore.ErrDecrypt, `"k1"`},
		{"value moved to another place", k1, sealed, "livedesk/channels/ch2/auth_token", pgstore.ErrDecrypt, `"k1"`},
		{"not base64", k1, "v1:k1:!!!", aad, pgstore.ErrDecrypt, `"k1"`},
		{"too short", k1, "v1:k1:AAAA", aad, pgstore.ErrDecrypt, `"k1"`},
		{"no ciphertext part", k1, "v1:k1", aad, pgstore.ErrDecrypt, `"k1"`},
	}
	for _, c := range failures {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.ring.Decrypt(c.value, c.aad)
			require.ErrorIs(t, err, c.target)
			require.Contains(t, err.Error(), c.keyID, "the error names the key")
			require.NotContains(t, err.Error(), secret)
		})
	}
}

// wrongK1 is a keyring whose key "k1" has other bytes than testKeyring's.
func wrongK1(t *testing.T) *pgstore.Keyring {
	k, err := pgstore.NewKeyring("k1", map[string][]byte{"k1": key(9)})
	require.NoError(t, err)
	return k
}
