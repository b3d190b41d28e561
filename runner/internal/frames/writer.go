// Package frames writes the runner's stdout: one JSON object per line, each
// with a sequence number (PROTOCOL.md, "Frames").
package frames

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// Writer serializes frames from every goroutine of the action tree: a frame
// is encoded and written in one Write under the lock, so lines never
// interleave and seq grows by exactly one per frame written.
type Writer struct {
	mu  sync.Mutex
	out io.Writer
	seq int64
}

func NewWriter(out io.Writer) *Writer { return &Writer{out: out} }

type lineFrame struct {
	Seq  int64  `json:"seq"`
	FD   string `json:"fd"`
	Src  string `json:"src"`
	Line string `json:"line"`
}

type resultFrame struct {
	Seq    int64  `json:"seq"`
	Result string `json:"result"`
}

// Line writes a stdout, stderr or system line.
func (w *Writer) Line(fd, src, line string) {
	w.write(func(seq int64) any { return lineFrame{seq, fd, src, line} })
}

// Result writes the result frame; text must already be valid UTF-8 so that
// the digest taken of it matches what a reader decodes.
func (w *Writer) Result(text string) {
	w.write(func(seq int64) any { return resultFrame{seq, text} })
}

// Seq is the seq of the last frame written (0 before the first).
func (w *Writer) Seq() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seq
}

func (w *Writer) write(frame func(seq int64) any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(frame(w.seq + 1)); err != nil {
		return
	}
	w.seq++
	// A reader that went away must not stop the task: its frames are lost, the
	// outcome in the termination log still counts them.
	_, _ = w.out.Write(buf.Bytes())
}
