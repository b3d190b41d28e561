package actions

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"taskbbs.dev/runner/internal/spec"
)

// Run runs one node of the tree. A cancelled ctx stops it: processes get
// SIGTERM, then SIGKILL after KillGrace.
func (x *Executor) Run(ctx context.Context, a *spec.Action) Outcome {
	if ctx.Err() != nil {
		return fail("cancelled")
	}
	switch a.Kind() {
	case "run":
		return x.runProcess(ctx, a.Run)
	case "download":
		return x.download(ctx, a.Download)
	case "upload":
		return x.upload(ctx, a.Upload)
	case "serial":
		for _, child := range a.Serial.Actions {
			if o := x.Run(ctx, child); o.Failed {
				return o
			}
		}
		return ok
	case "parallel":
		outcomes := x.all(ctx, a.Parallel.Actions)
		var reasons []string
		for _, o := range outcomes {
			if o.Failed {
				reasons = append(reasons, o.Reason)
			}
		}
		if len(reasons) > 0 {
			return fail(strings.Join(reasons, "; "))
		}
		return ok
	case "codependent":
		return x.codependent(ctx, a.Codependent.Actions)
	case "try":
		o := x.Run(ctx, a.Try.Action)
		if o.Failed && ctx.Err() == nil {
			x.system(a.Try.LogSource, "try: ignoring failure: "+o.Reason)
		}
		if ctx.Err() != nil {
			return o
		}
		return ok
	case "timeout":
		return x.timeout(ctx, a.Timeout)
	case "emit_progress":
		p := a.EmitProgress
		if p.StartMessage != "" {
			x.system(p.LogSource, p.StartMessage)
		}
		o := x.Run(ctx, p.Action)
		if !o.Failed && p.SuccessMessage != "" {
			x.system(p.LogSource, p.SuccessMessage)
		}
		if o.Failed && p.FailureMessagePrefix != "" {
			return fail(p.FailureMessagePrefix + ": " + o.Reason)
		}
		return o
	}
	return fail(fmt.Sprintf("runner: unknown action %q", a.Kind()))
}

// all runs actions at once and returns their outcomes in order.
func (x *Executor) all(ctx context.Context, actions []*spec.Action) []Outcome {
	outcomes := make([]Outcome, len(actions))
	var wg sync.WaitGroup
	for i, child := range actions {
		wg.Go(func() { outcomes[i] = x.Run(ctx, child) })
	}
	wg.Wait()
	return outcomes
}

// codependent returns the outcome of the first action to finish, after
// stopping the others and waiting for them.
func (x *Executor) codependent(ctx context.Context, actions []*spec.Action) Outcome {
	inner, stop := context.WithCancel(ctx)
	defer stop()
	first := make(chan Outcome, len(actions))
	var wg sync.WaitGroup
	for _, child := range actions {
		wg.Go(func() { first <- x.Run(inner, child) })
	}
	o := <-first
	stop()
	wg.Wait()
	return o
}

func (x *Executor) timeout(ctx context.Context, t *spec.TimeoutAction) Outcome {
	inner, stop := context.WithCancel(ctx)
	defer stop()
	var timedOut atomic.Bool
	timer := time.AfterFunc(time.Duration(t.TimeoutMs)*time.Millisecond, func() {
		timedOut.Store(true)
		stop()
	})
	defer timer.Stop()
	o := x.Run(inner, t.Action)
	if timedOut.Load() {
		return fail(fmt.Sprintf("exceeded %dms timeout", t.TimeoutMs))
	}
	return o
}
