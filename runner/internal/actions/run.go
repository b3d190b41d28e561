package actions

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"taskbbs.dev/runner/internal/frames"
	"taskbbs.dev/runner/internal/names"
	"taskbbs.dev/runner/internal/shim"
	"taskbbs.dev/runner/internal/spec"
)

func (x *Executor) runProcess(ctx context.Context, a *spec.RunAction) Outcome {
	source := x.source(a.LogSource)
	cwd := x.Cwd
	if a.Dir != "" {
		dir, err := x.path(a.Dir)
		if err != nil {
			return fail("run: " + err.Error())
		}
		cwd = dir
	}
	if cwd != "" {
		if err := os.MkdirAll(cwd, 0o755); err != nil {
			return fail("run: " + names.Message(err))
		}
	}
	cfg := shim.Config{Nproc: x.MaxPids}
	if a.ResourceLimits != nil && a.ResourceLimits.Nofile != nil {
		cfg.Nofile = *a.ResourceLimits.Nofile
	}
	if err := x.identity(a.User, &cfg, a.LogSource); err != nil {
		return fail(fmt.Sprintf("run %s: could not start: %s", a.Path, err))
	}
	if ctx.Err() != nil {
		return fail("cancelled")
	}
	env := mergeEnv(x.Env, a.Env)

	emit := func(fd string) func(string) {
		if a.SuppressLogOutput {
			return func(string) {}
		}
		return func(line string) { x.Frames.Line(fd, source, line) }
	}
	p, err := start(x.Self, cfg, a.Path, a.Args, cwd, env)
	if err != nil {
		return fail(fmt.Sprintf("run %s: could not start: %s", a.Path, names.Code(err)))
	}
	var readers sync.WaitGroup
	readers.Go(func() { pump(p.stdout, emit("stdout")) })
	readers.Go(func() { pump(p.stderr, emit("stderr")) })

	// Killing goes to the whole process group (the process leads its own), so
	// a timeout or cancel reaches the children and grandchildren too.
	finished := make(chan struct{})
	killer := make(chan struct{})
	go func() {
		defer close(killer)
		select {
		case <-finished:
			return
		case <-ctx.Done():
		}
		_ = syscall.Kill(-p.pid, syscall.SIGTERM)
		grace := time.NewTimer(x.KillGrace)
		defer grace.Stop()
		select {
		case <-finished:
			return
		case <-grace.C:
			_ = syscall.Kill(-p.pid, syscall.SIGKILL)
		}
		// A process that left the group (setsid) may still hold the output
		// pipes; a killed action must not wait for it forever, so after one more
		// second its output is no longer read.
		select {
		case <-finished:
		case <-time.After(time.Second):
			p.stdout.Close()
			p.stderr.Close()
		}
	}()

	status := <-p.exited
	startErr := p.startError()
	// As Node's 'close' event: the outcome waits until the output pipes close
	// too, that is until every process holding them has exited.
	readers.Wait()
	close(finished)
	<-killer

	switch {
	case startErr != "":
		return fail(fmt.Sprintf("run %s: could not start: %s", a.Path, startErr))
	case status.Exited() && status.ExitStatus() == 0:
		return ok
	case status.Signaled():
		return fail(fmt.Sprintf("run %s: killed by %s", a.Path, names.Signal(status.Signal())))
	default:
		return fail(fmt.Sprintf("run %s: exited with status %d", a.Path, status.ExitStatus()))
	}
}

// mergeEnv is the container's environment with the action's variables over
// it; a later definition of a name wins.
func mergeEnv(base []string, own []spec.EnvVar) []string {
	env := make([]string, 0, len(base)+len(own))
	index := map[string]int{}
	set := func(name, kv string) {
		if i, seen := index[name]; seen {
			env[i] = kv
			return
		}
		index[name] = len(env)
		env = append(env, kv)
	}
	for _, kv := range base {
		name := kv
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				name = kv[:i]
				break
			}
		}
		set(name, kv)
	}
	for _, v := range own {
		set(v.Name, v.Name+"="+v.Value)
	}
	return env
}

func pump(r *os.File, emit func(string)) {
	s := frames.NewSplitter(emit)
	_, _ = io.Copy(s, r)
	s.Close()
	r.Close()
}
