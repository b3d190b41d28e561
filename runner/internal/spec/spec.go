// Package spec reads the runner spec (PROTOCOL.md, "Spec (version 1)"): the
// task's action tree and the few task fields the runner needs.
package spec

import (
	"encoding/json"
	"fmt"
	"os"
)

// Version is the only spec version this runner understands.
const Version = 1

// MaxDepth bounds nesting as the server's MAX_ACTION_DEPTH does, so a spec the
// server would refuse cannot drive the runner's recursion deep.
const MaxDepth = 32

type Spec struct {
	Version    int     `json:"version"`
	GUID       string  `json:"guid"`
	LogSource  string  `json:"log_source"`
	Action     *Action `json:"action"`
	ResultFile string  `json:"result_file,omitempty"`
	MaxPids    uint64  `json:"max_pids,omitempty"`
}

// Load reads and checks a spec file. Unknown fields are ignored, as the
// protocol says; an unknown version or a malformed tree is an error.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read spec: %w", err)
	}
	return Parse(data)
}

func Parse(data []byte) (*Spec, error) {
	var s Spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("spec is not valid JSON: %w", err)
	}
	if s.Version != Version {
		return nil, fmt.Errorf("spec version %d is not supported (this runner reads version %d)", s.Version, Version)
	}
	if s.Action == nil {
		return nil, fmt.Errorf("spec has no action")
	}
	if err := check(s.Action, "action", 1); err != nil {
		return nil, err
	}
	if s.LogSource == "" {
		s.LogSource = "TASK"
	}
	return &s, nil
}

func check(a *Action, at string, depth int) error {
	if a == nil {
		return fmt.Errorf("%s: is missing", at)
	}
	if depth > MaxDepth {
		return fmt.Errorf("%s: actions nest deeper than %d", at, MaxDepth)
	}
	kind := a.Kind()
	at += "." + kind
	switch kind {
	case "run":
		if a.Run.Path == "" {
			return fmt.Errorf("%s.path: must not be empty", at)
		}
	case "download":
		if a.Download.From == "" {
			return fmt.Errorf("%s.from: must not be empty", at)
		}
	case "upload":
		if a.Upload.From == "" || a.Upload.To == "" {
			return fmt.Errorf("%s: from and to must not be empty", at)
		}
	case "timeout":
		if a.Timeout.TimeoutMs < 1 {
			return fmt.Errorf("%s.timeout_ms: must be >= 1", at)
		}
		return check(a.Timeout.Action, at+".action", depth+1)
	case "emit_progress":
		return check(a.EmitProgress.Action, at+".action", depth+1)
	case "try":
		return check(a.Try.Action, at+".action", depth+1)
	case "parallel", "serial", "codependent":
		list := a.List()
		if len(list.Actions) == 0 {
			return fmt.Errorf("%s.actions: must not be empty", at)
		}
		for i, c := range list.Actions {
			if err := check(c, fmt.Sprintf("%s.actions[%d]", at, i), depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s: must hold exactly one of run, download, upload, timeout, emit_progress, try, parallel, serial, codependent", at[:len(at)-1])
	}
	return nil
}

// List is the body of a serial, parallel or codependent action.
func (a *Action) List() *ListAction {
	switch {
	case a.Serial != nil:
		return a.Serial
	case a.Parallel != nil:
		return a.Parallel
	default:
		return a.Codependent
	}
}
