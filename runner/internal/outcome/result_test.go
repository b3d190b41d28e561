package outcome

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func resultOf(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "result")
	os.WriteFile(path, []byte(content), 0o644)
	got, err := ReadResult(path)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTheResultIsTheFirst10240Bytes(t *testing.T) {
	exact := strings.Repeat("x", MaxResultBytes)
	if got := resultOf(t, exact); got != exact {
		t.Fatalf("a 10,240-byte result came back as %d bytes", len(got))
	}
	if got := resultOf(t, exact+"more"); got != exact {
		t.Fatalf("a longer file gave %d bytes", len(got))
	}
	if got := resultOf(t, "42\n"); got != "42\n" {
		t.Fatalf("got %q", got)
	}
	if got := resultOf(t, ""); got != "" {
		t.Fatalf("got %q", got)
	}
}

func TestTheCutNeverSplitsACharacter(t *testing.T) {
	content := strings.Repeat("a", MaxResultBytes-1) + "é" // é straddles the cut
	if got := resultOf(t, content); got != strings.Repeat("a", MaxResultBytes-1) {
		t.Fatalf("got %d bytes ending %q", len(got), got[len(got)-3:])
	}
	fits := strings.Repeat("a", MaxResultBytes-2) + "é"
	if got := resultOf(t, fits+"tail"); got != fits {
		t.Fatalf("a character ending at the cut was dropped")
	}
}

func TestBytesThatAreNotUTF8BecomeReplacementCharactersWithinTheLimit(t *testing.T) {
	got := resultOf(t, "ok\xff")
	if got != "ok\uFFFD" {
		t.Fatalf("got %q", got)
	}
	many := resultOf(t, strings.Repeat("\xff", MaxResultBytes))
	if len(many) > MaxResultBytes || !strings.HasPrefix(many, "\uFFFD") {
		t.Fatalf("%d bytes", len(many))
	}
}

func TestAMissingOrUnreadableResultFileIsAnError(t *testing.T) {
	_, err := ReadResult(filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v", err)
	}
	_, err = ReadResult(t.TempDir())
	if !errors.Is(err, syscall.EISDIR) {
		t.Fatalf("a directory: got %v", err)
	}
}
