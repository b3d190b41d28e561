// Package reaper starts processes and collects the exit status of every
// child of the runner. In a container the runner is PID 1: orphaned
// grandchildren are re-parented to it and would stay zombies unless it waits
// for them, so one loop reaps all children (wait4(-1)) on SIGCHLD and hands
// the status of the processes the runner started to whoever waits for them.
package reaper

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

var (
	once    sync.Once
	mu      sync.Mutex
	waiters = map[int]chan syscall.WaitStatus{}
)

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER: orphans of the task come
// to the runner even when it is not PID 1 (a pod sharing its process
// namespace, a test), so it still reaps them.
const prSetChildSubreaper = 36

func start() {
	once.Do(func() {
		_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGCHLD)
		go func() {
			for range ch {
				reapAll()
			}
		}()
	})
}

func reapAll() {
	mu.Lock()
	defer mu.Unlock()
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return
		}
		if c, ok := waiters[pid]; ok {
			delete(waiters, pid)
			c <- ws
		}
		// Any other pid is an orphan the runner inherited: reaped and forgotten.
	}
}

// Start forks and execs argv0 and returns its pid and a channel that receives
// its wait status once. The pid is registered before the reaper can see it
// exit, because reaping and starting share one lock.
func Start(argv0 string, argv []string, attr *syscall.ProcAttr) (int, <-chan syscall.WaitStatus, error) {
	start()
	mu.Lock()
	defer mu.Unlock()
	pid, err := syscall.ForkExec(argv0, argv, attr)
	if err != nil {
		return 0, nil, err
	}
	c := make(chan syscall.WaitStatus, 1)
	waiters[pid] = c
	return pid, c, nil
}
