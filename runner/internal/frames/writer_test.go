package frames

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestFramesAreJSONLinesWithAGrowingSeq(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Line("system", "TASK", "Downloading app...")
	w.Line("stdout", "TASK", `<tag> & "quotes"`)
	w.Line("stderr", "APP", "warning: x")
	w.Result("42\n")
	want := `{"seq":1,"fd":"system","src":"TASK","line":"Downloading app..."}
{"seq":2,"fd":"stdout","src":"TASK","line":"<tag> & \"quotes\""}
{"seq":3,"fd":"stderr","src":"APP","line":"warning: x"}
{"seq":4,"result":"42\n"}
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if w.Seq() != 4 {
		t.Fatalf("seq %d", w.Seq())
	}
}

func TestConcurrentWritersNeverInterleaveAndNeverSkipASeq(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				w.Line("stdout", "TASK", strings.Repeat("x", 1000))
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 1600 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		var f struct{ Seq int }
		if err := json.Unmarshal([]byte(l), &f); err != nil || f.Seq != i+1 {
			t.Fatalf("line %d: %v seq %d", i, err, f.Seq)
		}
	}
}
