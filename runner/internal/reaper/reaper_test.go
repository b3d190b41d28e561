package reaper

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStartDeliversTheExitStatusOfTheProcessStarted(t *testing.T) {
	_, exited, err := Start("/bin/sh", []string{"sh", "-c", "exit 7"}, &syscall.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ws := <-exited:
		if !ws.Exited() || ws.ExitStatus() != 7 {
			t.Fatalf("status %v", ws)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit status")
	}
}

func TestOrphansAreReapedNotLeftAsZombies(t *testing.T) {
	out, err := os.CreateTemp(t.TempDir(), "pid")
	if err != nil {
		t.Fatal(err)
	}
	// The shell leaves a short-lived background child behind and exits: the
	// child is re-parented to this process (a subreaper) and must be reaped.
	_, exited, err := Start("/bin/sh", []string{"sh", "-c", "sleep 0.2 & echo $!"}, &syscall.ProcAttr{Files: []uintptr{0, out.Fd(), 2}})
	if err != nil {
		t.Fatal(err)
	}
	<-exited
	raw, _ := os.ReadFile(out.Name())
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatalf("pid %q", raw)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	state, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	t.Fatalf("orphan %d still exists: %s", pid, state)
}
