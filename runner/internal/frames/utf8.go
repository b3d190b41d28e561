package frames

import (
	"strings"
	"unicode/utf8"
)

// ValidUTF8 replaces each byte that is not part of a UTF-8 character with
// U+FFFD, exactly as encoding/json does when it encodes the string. Taking a
// digest of the result therefore describes the text a reader decodes.
func ValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			sb.WriteString("\uFFFD")
		} else {
			sb.Write(b[:size])
		}
		b = b[size:]
	}
	return sb.String()
}

// CutUTF8 returns the longest prefix of s of at most max bytes that ends on a
// character boundary.
func CutUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	// A character is at most UTFMax bytes, so at most UTFMax-1 continuation
	// bytes need dropping; a longer run is not UTF-8 and is cut where it is.
	for cut := max; cut > max-utf8.UTFMax && cut >= 0; cut-- {
		if utf8.RuneStart(s[cut]) {
			return s[:cut]
		}
	}
	return s[:max]
}
