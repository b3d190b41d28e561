// Package task is `taskbbs-runner run`: it runs a spec's action tree, writes
// its frames to stdout and its outcome to the termination log.
package task

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"taskbbs.dev/runner/internal/actions"
	"taskbbs.dev/runner/internal/frames"
	"taskbbs.dev/runner/internal/names"
	"taskbbs.dev/runner/internal/outcome"
	"taskbbs.dev/runner/internal/paths"
	"taskbbs.dev/runner/internal/spec"
	"taskbbs.dev/runner/internal/users"
)

// Exit statuses (PROTOCOL.md, "Exit status").
const (
	ExitSucceeded = 0
	ExitFailed    = 1
	ExitRunner    = 2
)

// Options are the flags of `run`.
type Options struct {
	Spec           string
	Root           string
	TerminationLog string
	// CreateLog allows creating a missing termination log (an explicit flag);
	// the default /dev/termination-log is only written when it exists.
	CreateLog bool
	KillGrace time.Duration
	Stdout    io.Writer
	Users     users.Files
}

// Run runs the task and returns the exit status.
func Run(opts Options) int {
	out := frames.NewWriter(opts.Stdout)
	// A reader of stdout that goes away must not kill the runner with SIGPIPE
	// before it writes the outcome: with SIGPIPE notified, writes fail instead.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)

	// SIGTERM (pod deletion, cancel) or SIGINT cancels the tree (handled from
	// the start, so that even an early one ends with an outcome): every running
	// process group gets SIGTERM, then SIGKILL after the grace period.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelled atomic.Bool
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			cancelled.Store(true)
			cancel()
		}
	}()

	s, err := spec.Load(opts.Spec)
	if err != nil {
		return RunnerError(opts, err)
	}
	self, err := os.Executable()
	if err != nil {
		return RunnerError(opts, fmt.Errorf("cannot find its own executable: %w", err))
	}

	cwd := ""
	if opts.Root != "/" {
		cwd = opts.Root
	}
	workdir, _ := os.Getwd()
	x := &actions.Executor{
		Root:      opts.Root,
		Cwd:       cwd,
		Workdir:   workdir,
		Env:       os.Environ(),
		LogSource: s.LogSource,
		MaxPids:   s.MaxPids,
		KillGrace: opts.KillGrace,
		Self:      self,
		Users:     opts.Users,
		IsRoot:    os.Geteuid() == 0,
		UID:       uint32(os.Geteuid()),
		Frames:    out,
		HTTP:      actions.NewHTTPClient(),
	}
	result := x.Run(ctx, s.Action)

	var o outcome.Outcome
	switch {
	case cancelled.Load():
		o = outcome.Failure("task was cancelled", out.Seq())
	case result.Failed:
		o = outcome.Failure(result.Reason, out.Seq())
	case s.ResultFile != "":
		text, err := readResult(opts.Root, workdir, s.ResultFile)
		if err != nil {
			o = outcome.Failure(fmt.Sprintf("failed to read result_file %s: %s", s.ResultFile, err), out.Seq())
			break
		}
		out.Result(text)
		o = outcome.Success(&text, out.Seq())
	default:
		o = outcome.Success(nil, out.Seq())
	}
	if err := o.Write(opts.TerminationLog, opts.CreateLog); err != nil {
		fmt.Fprintf(os.Stderr, "taskbbs-runner: cannot write the outcome to %s: %v\n", opts.TerminationLog, err)
		return ExitRunner
	}
	if o.Failed {
		return ExitFailed
	}
	return ExitSucceeded
}

func readResult(root, workdir, file string) (string, error) {
	path, err := paths.Resolve(root, workdir, file)
	if err != nil {
		return "", err
	}
	text, err := outcome.ReadResult(path)
	if err != nil {
		return "", fmt.Errorf("%s", names.Code(err))
	}
	return text, nil
}

// RunnerError reports that the runner itself could not work: on stderr, and
// as a failed outcome when the termination log can be written. Exit 2.
func RunnerError(opts Options, err error) int {
	fmt.Fprintf(os.Stderr, "taskbbs-runner: %v\n", err)
	if opts.TerminationLog != "" {
		_ = outcome.Failure("runner: "+err.Error(), 0).Write(opts.TerminationLog, opts.CreateLog)
	}
	return ExitRunner
}
