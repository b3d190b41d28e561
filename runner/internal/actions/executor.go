// Package actions runs Diego's action tree with the semantics of taskbbs's
// local executor (src/executors/local/actions.ts): serial stops at the first
// failure; parallel waits for all and fails if any failed; codependent stops
// the rest as soon as one exits; try swallows a failure; timeout fails the
// inner action after timeout_ms and kills its processes.
package actions

import (
	"net/http"
	"sync"
	"time"

	"taskbbs.dev/runner/internal/frames"
	"taskbbs.dev/runner/internal/paths"
	"taskbbs.dev/runner/internal/users"
)

// Outcome of one action.
type Outcome struct {
	Failed bool
	Reason string
}

var ok = Outcome{}

func fail(reason string) Outcome { return Outcome{Failed: true, Reason: reason} }

// Executor holds what every action of one task shares.
type Executor struct {
	// Root stands for the container root (an absolute, clean path).
	Root string
	// Cwd is where processes without run.dir start; "" is the runner's own.
	Cwd string
	// Workdir is the runner's own working directory: with the real root,
	// relative container paths are taken from it (paths.Resolve).
	Workdir string
	// Env is the container's environment (KEY=VALUE), under the action's own.
	Env []string
	// LogSource is the task's log source, for actions that name none.
	LogSource string
	// MaxPids is the spec's max_pids (0: no limit), applied as RLIMIT_NPROC.
	MaxPids uint64
	// KillGrace is the time between SIGTERM and SIGKILL to a process group.
	KillGrace time.Duration
	// Self is the runner executable, started as the exec shim.
	Self string
	// Users are the account files users are looked up in.
	Users users.Files
	// IsRoot tells whether processes may be started as other users.
	IsRoot bool
	// UID is the runner's own uid.
	UID    uint32
	Frames *frames.Writer
	HTTP   *http.Client

	warned sync.Map
}

func (x *Executor) path(containerPath string) (string, error) {
	return paths.Resolve(x.Root, x.Workdir, containerPath)
}

func (x *Executor) source(own *string) string {
	if own != nil {
		return *own
	}
	return x.LogSource
}

func (x *Executor) system(own *string, line string) {
	x.Frames.Line("system", x.source(own), line)
}

// NewHTTPClient follows no redirects, as undici's request does not: the URL
// that was checked is the URL that is fetched, and a 3xx is a failure.
func NewHTTPClient() *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.ResponseHeaderTimeout = 300 * time.Second
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
