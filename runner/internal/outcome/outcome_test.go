package outcome

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestASuccessCarriesTheResultsLengthAndDigest(t *testing.T) {
	result := "42\n"
	got := string(Success(&result, 4).Encode())
	sum := sha256.Sum256([]byte(result))
	want := `{"v":1,"failed":false,"failure_reason":"","result_bytes":3,"result_sha256":"` + hex.EncodeToString(sum[:]) + `","frames":4}`
	if got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	if got := string(Success(nil, 0).Encode()); got != `{"v":1,"failed":false,"failure_reason":"","frames":0}` {
		t.Fatalf("without a result: %s", got)
	}
	empty := ""
	if got := string(Success(&empty, 1).Encode()); !strings.Contains(got, `"result_bytes":0,"result_sha256":"e3b0c442`) {
		t.Fatalf("an empty result is still a result: %s", got)
	}
}

func TestAFailureReasonIsCutTo3000BytesOnACharacterBoundary(t *testing.T) {
	o := Failure(strings.Repeat("é", 2000), 7) // 4000 bytes
	var back Outcome
	if err := json.Unmarshal(o.Encode(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.FailureReason) != 3000 || !utf8.ValidString(back.FailureReason) || !back.Failed || back.Frames != 7 {
		t.Fatalf("reason of %d bytes", len(back.FailureReason))
	}
	odd := Failure("a"+strings.Repeat("é", 2000), 0)
	json.Unmarshal(odd.Encode(), &back)
	if len(back.FailureReason) != 2999 {
		t.Fatalf("reason of %d bytes", len(back.FailureReason))
	}
}

func TestTheMessageNeverExceeds4096BytesEvenWhenEscapingGrowsIt(t *testing.T) {
	o := Failure(strings.Repeat("\x01", 3000), 1)
	data := o.Encode()
	if len(data) > MaxMessage {
		t.Fatalf("%d bytes", len(data))
	}
	var back Outcome
	if err := json.Unmarshal(data, &back); err != nil || back.FailureReason == "" {
		t.Fatalf("%v %q", err, back.FailureReason)
	}
}

func TestWriteTruncatesAndOnlyCreatesWhenAllowed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "termination-log")
	if err := Failure("x", 0).Write(path, false); err == nil {
		t.Fatal("a missing default log was created")
	}
	os.WriteFile(path, []byte(strings.Repeat("old content ", 100)), 0o644)
	if err := Success(nil, 2).Write(path, false); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != `{"v":1,"failed":false,"failure_reason":"","frames":2}` {
		t.Fatalf("got %s", b)
	}
	other := filepath.Join(t.TempDir(), "new-log")
	if err := Success(nil, 0).Write(other, true); err != nil {
		t.Fatal(err)
	}
}
