package actions

import (
	"io"
	"os"
	"syscall"

	"taskbbs.dev/runner/internal/reaper"
	"taskbbs.dev/runner/internal/shim"
)

// process is a started task process: the runner's exec shim, which becomes
// the task's program in the same pid and process group.
type process struct {
	pid            int
	exited         <-chan syscall.WaitStatus
	stdout, stderr *os.File
	errs           *os.File
}

// startError is the errno name the shim reported, or "" when the exec
// succeeded (the close-on-exec pipe closed with nothing written).
func (p *process) startError() string {
	defer p.errs.Close()
	b, _ := io.ReadAll(p.errs)
	return string(b)
}

func start(self string, cfg shim.Config, path string, args []string, cwd string, env []string) (*process, error) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	var opened []*os.File
	pipe := func() (*os.File, *os.File, error) {
		r, w, err := os.Pipe()
		if err == nil {
			opened = append(opened, r, w)
		}
		return r, w, err
	}
	closeAll := func() {
		for _, f := range opened {
			f.Close()
		}
	}
	outR, outW, err1 := pipe()
	errR, errW, err2 := pipe()
	ctlR, ctlW, err3 := pipe()
	for _, e := range []error{err1, err2, err3} {
		if e != nil {
			closeAll()
			return nil, e
		}
	}
	pid, exited, err := reaper.Start(self, shim.Argv(self, cfg, path, args), &syscall.ProcAttr{
		Dir:   cwd,
		Env:   env,
		Files: []uintptr{devnull.Fd(), outW.Fd(), errW.Fd(), ctlW.Fd()},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	})
	// The child holds its own copies of the write ends; closing ours lets the
	// readers see EOF when the last process holding them exits.
	outW.Close()
	errW.Close()
	ctlW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		ctlR.Close()
		return nil, err
	}
	return &process{pid: pid, exited: exited, stdout: outR, stderr: errR, errs: ctlR}, nil
}
