// Package outcome builds and writes the termination message
// (PROTOCOL.md, "Outcome") and reads the task's result_file.
package outcome

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"

	"taskbbs.dev/runner/internal/frames"
)

// MaxMessage is Kubernetes' limit on a termination message.
const MaxMessage = 4096

// MaxReason bounds failure_reason, leaving room for the other fields.
const MaxReason = 3000

// Outcome is the runner's verdict on the task.
type Outcome struct {
	V             int    `json:"v"`
	Failed        bool   `json:"failed"`
	FailureReason string `json:"failure_reason"`
	ResultBytes   *int   `json:"result_bytes,omitempty"`
	ResultSHA256  string `json:"result_sha256,omitempty"`
	Frames        int64  `json:"frames"`
}

// Success describes a successful task; result is the result frame's text,
// nil when the task has no result_file.
func Success(result *string, frames int64) Outcome {
	o := Outcome{V: 1, Frames: frames}
	if result != nil {
		n := len(*result)
		sum := sha256.Sum256([]byte(*result))
		o.ResultBytes, o.ResultSHA256 = &n, hex.EncodeToString(sum[:])
	}
	return o
}

// Failure describes a failed task.
func Failure(reason string, frames int64) Outcome {
	return Outcome{V: 1, Failed: true, FailureReason: reason, Frames: frames}
}

// Encode is the JSON message, at most MaxMessage bytes: the reason is cut to
// MaxReason bytes on a character boundary, and further if escaping (control
// characters take six bytes each) would still make it too long.
func (o Outcome) Encode() []byte {
	o.FailureReason = frames.CutUTF8(frames.ValidUTF8([]byte(o.FailureReason)), MaxReason)
	for {
		data, _ := json.Marshal(o)
		if len(data) <= MaxMessage || o.FailureReason == "" {
			return data
		}
		cut := len(o.FailureReason) - (len(data) - MaxMessage)
		if cut < 0 {
			// Escaping more than doubled it: halve until it fits.
			cut = len(o.FailureReason) / 2
		}
		o.FailureReason = frames.CutUTF8(o.FailureReason, cut)
	}
}

// Write replaces the termination log's content with the outcome. create says
// whether a missing file may be created: the default /dev/termination-log is
// only written when the kubelet provided it.
func (o Outcome) Write(path string, create bool) error {
	flags := os.O_WRONLY | os.O_TRUNC
	if create {
		flags |= os.O_CREATE
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(o.Encode()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
