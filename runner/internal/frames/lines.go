package frames

import (
	"bytes"
	"unicode/utf8"
)

// MaxLine is the longest line held while waiting for a newline; a longer run
// of bytes without one is emitted as it is (PROTOCOL.md: 64 KiB).
const MaxLine = 64 * 1024

// Splitter turns a byte stream into lines split on '\n', as the local
// executor's line reader does, flushing a line that reaches MaxLine bytes.
type Splitter struct {
	emit func(line string)
	rest []byte
}

func NewSplitter(emit func(line string)) *Splitter { return &Splitter{emit: emit} }

func (s *Splitter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.rest = append(s.rest, p...)
			break
		}
		s.rest = append(s.rest, p[:i]...)
		s.emit(string(s.rest))
		s.rest = s.rest[:0]
		p = p[i+1:]
	}
	for len(s.rest) >= MaxLine {
		cut := boundary(s.rest, MaxLine)
		s.emit(string(s.rest[:cut]))
		s.rest = append(s.rest[:0], s.rest[cut:]...)
	}
	return n, nil
}

// Close emits a last line that had no newline.
func (s *Splitter) Close() {
	if len(s.rest) > 0 {
		s.emit(string(s.rest))
		s.rest = s.rest[:0]
	}
}

// boundary is the largest cut <= max that does not split a UTF-8 character
// (falling back to max for bytes that are not UTF-8 at all).
func boundary(b []byte, max int) int {
	if max >= len(b) {
		return len(b)
	}
	for cut := max; cut > max-utf8.UTFMax && cut > 0; cut-- {
		if utf8.RuneStart(b[cut]) {
			return cut
		}
	}
	return max
}
