// Package shim is the runner re-executing itself between fork and the task's
// program. Go cannot run code in a child between fork and exec, yet rlimits
// must be set (while still root, so that a hard limit may be raised) before
// privileges are dropped, and both before exec. So the runner starts itself
// as `taskbbs-runner __exec CONFIG PATH ARGS...`; that process sets the
// limits, drops to the task's user, looks PATH up in its environment's PATH
// and execs it. If it cannot, it writes the errno name (ENOENT, EACCES, …) to
// fd 3, a close-on-exec pipe back to the runner, and exits 127; a successful
// exec closes the pipe with nothing written.
package shim

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"

	"taskbbs.dev/runner/internal/names"
)

// Command is the hidden subcommand that makes the runner a shim.
const Command = "__exec"

// ErrFD is the shim's file descriptor of the error pipe.
const ErrFD = 3

// Config is what the shim applies before exec. Zero limits are not set.
type Config struct {
	Nofile uint64   `json:"nofile,omitempty"`
	Nproc  uint64   `json:"nproc,omitempty"`
	Switch bool     `json:"switch,omitempty"`
	UID    uint32   `json:"uid,omitempty"`
	GID    uint32   `json:"gid,omitempty"`
	Groups []uint32 `json:"groups,omitempty"`
}

// Argv is the shim's argument vector for running path with args under cfg.
func Argv(self string, cfg Config, path string, args []string) []string {
	c, _ := json.Marshal(cfg)
	return append([]string{self, Command, string(c), path}, args...)
}

// Is tells whether argv asks for the shim.
func Is(argv []string) bool { return len(argv) >= 4 && argv[1] == Command }

// Main runs the shim and never returns.
func Main(argv []string) {
	if !Is(argv) {
		fail("runner: bad shim arguments")
	}
	syscall.CloseOnExec(ErrFD)
	var cfg Config
	if err := json.Unmarshal([]byte(argv[2]), &cfg); err != nil {
		fail("runner: bad shim config")
	}
	if err := apply(cfg); err != nil {
		fail(names.Code(err))
	}
	err := execvpe(argv[3], argv[3:], os.Environ())
	fail(names.Code(err))
}

func apply(cfg Config) error {
	if cfg.Nofile > 0 {
		if err := setrlimit(syscall.RLIMIT_NOFILE, cfg.Nofile); err != nil {
			return err
		}
	}
	if cfg.Nproc > 0 {
		// RLIMIT_NPROC is 6 on Linux; the syscall package has no name for it.
		if err := setrlimit(6, cfg.Nproc); err != nil {
			return err
		}
	}
	if cfg.Switch {
		groups := make([]int, len(cfg.Groups))
		for i, g := range cfg.Groups {
			groups[i] = int(g)
		}
		if err := syscall.Setgroups(groups); err != nil {
			return err
		}
		if err := syscall.Setgid(int(cfg.GID)); err != nil {
			return err
		}
		if err := syscall.Setuid(int(cfg.UID)); err != nil {
			return err
		}
	}
	return nil
}

// setrlimit sets soft and hard limit together, as a shell's `ulimit -n N` does.
func setrlimit(resource int, n uint64) error {
	return syscall.Setrlimit(resource, &syscall.Rlimit{Cur: n, Max: n})
}

// execvpe looks file up like execvp(3) in the PATH of env (as Node's spawn
// does with its env option) and execs it; it returns only on failure.
func execvpe(file string, argv, env []string) error {
	if strings.Contains(file, "/") {
		return syscall.Exec(file, argv, env)
	}
	path := "/usr/local/bin:/usr/bin:/bin"
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	var firstErr error = syscall.ENOENT
	sawEACCES := false
	for _, dir := range strings.Split(path, ":") {
		if dir == "" {
			dir = "."
		}
		err := syscall.Exec(dir+"/"+file, argv, env)
		switch err {
		case syscall.EACCES:
			sawEACCES = true
		case syscall.ENOENT, syscall.ENOTDIR, syscall.ESTALE, syscall.ENODEV, syscall.ETIMEDOUT:
		default:
			firstErr = err
			return firstErr
		}
	}
	if sawEACCES {
		return syscall.EACCES
	}
	return firstErr
}

func fail(code string) {
	f := os.NewFile(ErrFD, "errors")
	if f != nil {
		fmt.Fprint(f, code)
	}
	os.Exit(127)
}
