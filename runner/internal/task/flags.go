package task

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"
)

// DefaultTerminationLog is Kubernetes' default terminationMessagePath.
const DefaultTerminationLog = "/dev/termination-log"

// ParseFlags reads `run`'s flags. On an error the options still carry the
// termination log named so far, so that the error can be reported there.
func ParseFlags(args []string, stderr io.Writer) (Options, error) {
	opts := Options{Root: "/", TerminationLog: DefaultTerminationLog, KillGrace: 10 * time.Second}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.Spec, "spec", "", "the spec file (JSON, PROTOCOL.md)")
	fs.StringVar(&opts.Root, "root", "/", "the directory that stands for the container root")
	fs.StringVar(&opts.TerminationLog, "termination-log", DefaultTerminationLog, "where the outcome is written")
	fs.DurationVar(&opts.KillGrace, "kill-grace", 10*time.Second, "time between SIGTERM and SIGKILL to a process group")
	err := fs.Parse(args)
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "termination-log" {
			opts.CreateLog = true
		}
	})
	if err != nil {
		return opts, err
	}
	if fs.NArg() > 0 {
		return opts, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if opts.Spec == "" {
		return opts, errors.New("--spec is required")
	}
	if opts.KillGrace < 0 {
		return opts, errors.New("--kill-grace must not be negative")
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return opts, fmt.Errorf("--root: %w", err)
	}
	opts.Root = root
	return opts, nil
}
