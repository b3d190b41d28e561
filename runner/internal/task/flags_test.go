package task

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFlagsDefaultsAndRootMadeAbsolute(t *testing.T) {
	opts, err := ParseFlags([]string{"--spec", "s.json"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Root != "/" || opts.TerminationLog != DefaultTerminationLog || opts.CreateLog || opts.KillGrace != 10*time.Second {
		t.Fatalf("%+v", opts)
	}
	wd, _ := os.Getwd()
	opts, err = ParseFlags([]string{"--spec", "s.json", "--root", "rel/dir/", "--termination-log", "/tmp/x", "--kill-grace", "250ms"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Root != filepath.Join(wd, "rel/dir") || !opts.CreateLog || opts.KillGrace != 250*time.Millisecond {
		t.Fatalf("%+v", opts)
	}
}

func TestBadFlagsAreErrorsThatKeepTheTerminationLog(t *testing.T) {
	for args, want := range map[string]string{
		"":                                "--spec is required",
		"--spec s.json extra":             `unexpected argument "extra"`,
		"--spec s.json --kill-grace -1s":  "--kill-grace must not be negative",
		"--termination-log /tmp/l --nope": "flag provided but not defined: -nope",
	} {
		opts, err := ParseFlags(strings.Fields(args), io.Discard)
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %q", args, err, want)
		}
		if strings.HasPrefix(args, "--termination-log") && (opts.TerminationLog != "/tmp/l" || !opts.CreateLog) {
			t.Errorf("%q: the termination log was lost: %+v", args, opts)
		}
	}
}
