package outcome

import (
	"io"
	"os"

	"taskbbs.dev/runner/internal/frames"
)

// MaxResultBytes is how much of result_file becomes the result: Diego keeps
// the first 10 KB (the server's MAX_RESULT_BYTES).
const MaxResultBytes = 10 * 1024

// ReadResult reads the first MaxResultBytes of a file as text: a character
// the cut would split is left out, bytes that are not UTF-8 become U+FFFD,
// and the text never exceeds MaxResultBytes.
func ReadResult(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := make([]byte, MaxResultBytes+1)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	truncated := n > MaxResultBytes
	if truncated {
		n = MaxResultBytes
	}
	head := buf[:n]
	if truncated {
		// Only a cut can split a character; drop its leading bytes.
		head = []byte(frames.CutUTF8(string(buf[:n+1]), n))
	}
	return frames.CutUTF8(frames.ValidUTF8(head), MaxResultBytes), nil
}
