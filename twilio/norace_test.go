//go:build !race

package twilio

const raceEnabled = false
