package names

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
)

func TestErrorsAreNamedAsNodeNamesThem(t *testing.T) {
	_, err := os.Open("/no/such/file")
	if got := Code(err); got != "ENOENT" {
		t.Fatalf("got %q", got)
	}
	if got := Message(err); got != "ENOENT: no such file or directory, open '/no/such/file'" {
		t.Fatalf("got %q", got)
	}
	if got := Message(&os.PathError{Op: "read", Path: "/d", Err: syscall.EISDIR}); got != "EISDIR: illegal operation on a directory, read '/d'" {
		t.Fatalf("got %q", got)
	}
	if got := Code(fmt.Errorf("wrapped: %w", syscall.EACCES)); got != "EACCES" {
		t.Fatalf("got %q", got)
	}
	if got := Code(errors.New("plain")); got != "plain" {
		t.Fatalf("got %q", got)
	}
}

func TestSignalNames(t *testing.T) {
	for sig, want := range map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGKILL: "SIGKILL", syscall.SIGSEGV: "SIGSEGV", 40: "SIG40"} {
		if got := Signal(sig); got != want {
			t.Errorf("%d: got %q", sig, got)
		}
	}
}
