package channel

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// IsE164 reports whether s is a valid phone number written in canonical
// E.164 form: '+', the country code and the national number, no spaces
// (+14155238886). Validity is checked against libphonenumber's metadata.
func IsE164(s string) bool {
	if len(s) < 3 || s[0] != '+' {
		return false
	}
	n, err := phonenumbers.Parse(s, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return false
	}
	return phonenumbers.Format(n, phonenumbers.E164) == s
}

// Country returns the ISO 3166-1 region ("FR", "US") of an E.164 number, or
// "" when it cannot be told. A "whatsapp:" prefix is ignored.
func Country(e164 string) string {
	e164 = strings.TrimPrefix(e164, "whatsapp:")
	if len(e164) < 3 || e164[0] != '+' {
		return ""
	}
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return ""
	}
	region := phonenumbers.GetRegionCodeForNumber(n)
	if region == "ZZ" {
		return ""
	}
	return region
}
