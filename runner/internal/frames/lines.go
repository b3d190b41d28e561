package frames

import (
	"bytes"
	"unicode/utf8"
)

// MaxLine is the longest line held while waiting for a newline; a longer run
// of bytes without one is emitted as it is (PROTOCOL.md: 64 KiB).
const MaxLine = 64 * 1024

// Splitter turns a byte stream into lines split on '\n', as the local
// executor's line splitter does (src/executors/local/lines.ts): a line longer
// than MaxLine is emitted in pieces of at most MaxLine bytes, each cut on a
// character boundary, whether its newline came in the same write or not; a
// line of exactly MaxLine bytes is one line, however the writes fall (a piece
// is cut only once more bytes than that are held).
type Splitter struct {
	emit func(line string)
	rest []byte
}

func NewSplitter(emit func(line string)) *Splitter { return &Splitter{emit: emit} }

func (s *Splitter) Write(p []byte) (int, error) {
	n := len(p)
	data := append(s.rest, p...)
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		s.pieces(data[:i])
		data = data[i+1:]
	}
	for len(data) > MaxLine {
		cut := boundary(data, MaxLine)
		s.emit(string(data[:cut]))
		data = data[cut:]
	}
	// Copied to the front of a buffer of its own: data may alias p's bytes.
	s.rest = append(make([]byte, 0, len(data)), data...)
	return n, nil
}

// pieces emits one complete line, in pieces when it is longer than MaxLine.
func (s *Splitter) pieces(line []byte) {
	for len(line) > MaxLine {
		cut := boundary(line, MaxLine)
		s.emit(string(line[:cut]))
		line = line[cut:]
	}
	s.emit(string(line))
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
