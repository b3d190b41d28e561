package actions

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestSerialStopsAtTheFirstFailure(t *testing.T) {
	h := newHarness(t)
	expectFailure(t, h.run(t, `{"serial":{"actions":[`+sh("echo one")+`,`+sh("exit 4")+`,`+sh("echo never")+`]}}`), "run sh: exited with status 4")
	equal(t, h.lines(t, "stdout"), []string{"one"})
}

func TestParallelWaitsForAllAndJoinsTheFailedReasons(t *testing.T) {
	h := newHarness(t)
	start := time.Now()
	expectFailure(t, h.run(t, `{"parallel":{"actions":[`+sh("exit 1")+`,`+sh("sleep 0.3; echo late")+`,`+sh("exit 2")+`]}}`),
		"run sh: exited with status 1; run sh: exited with status 2")
	equal(t, h.lines(t, "stdout"), []string{"late"})
	if time.Since(start) < 300*time.Millisecond {
		t.Fatal("parallel did not wait for every action")
	}
	expectOK(t, h.run(t, `{"parallel":{"actions":[`+sh("true")+`,`+sh("true")+`]}}`))
}

func TestCodependentStopsTheOthersWhenOneExits(t *testing.T) {
	h := newHarness(t)
	start := time.Now()
	expectOK(t, h.run(t, `{"codependent":{"actions":[`+sh("sleep 30")+`,`+sh("echo quick")+`]}}`))
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the long action was not stopped (%v)", d)
	}
	expectFailure(t, h.run(t, `{"codependent":{"actions":[`+sh("sleep 30")+`,`+sh("exit 9")+`]}}`), "run sh: exited with status 9")
}

func TestTryIgnoresAFailureAndSaysSo(t *testing.T) {
	h := newHarness(t)
	expectOK(t, h.run(t, `{"try":{"action":`+sh("exit 5")+`,"log_source":"TRY"}}`))
	equal(t, h.lines(t, "system"), []string{"try: ignoring failure: run sh: exited with status 5"})
	if f := h.frames(t)[0]; f.Src != "TRY" {
		t.Fatalf("source: %+v", f)
	}
}

func TestEmitProgressMessagesAndFailurePrefix(t *testing.T) {
	h := newHarness(t)
	expectOK(t, h.run(t, `{"emit_progress":{"action":`+sh("echo work")+`,"start_message":"Starting","success_message":"Done","failure_message_prefix":"Oops"}}`))
	expectFailure(t, h.run(t, `{"emit_progress":{"action":`+sh("exit 3")+`,"start_message":"Again","success_message":"not this","failure_message_prefix":"Step failed"}}`),
		"Step failed: run sh: exited with status 3")
	expectFailure(t, h.run(t, `{"emit_progress":{"action":`+sh("exit 3")+`}}`), "run sh: exited with status 3")
	equal(t, h.lines(t, "system"), []string{"Starting", "Done", "Again"})
	var order []string
	for _, f := range h.frames(t) {
		order = append(order, f.Line)
	}
	equal(t, order, []string{"Starting", "work", "Done", "Again"})
}

func TestTimeoutFailsAndKillsTheWholeProcessGroup(t *testing.T) {
	h := newHarness(t)
	pidFile := filepath.Join(h.Root, "grandchild.pid")
	start := time.Now()
	// The grandchild ignores nothing but is not the process the runner started.
	expectFailure(t, h.run(t, `{"timeout":{"timeout_ms":300,"action":`+sh("sleep 60 & echo $! > "+pidFile+"; wait")+`}}`), "exceeded 300ms timeout")
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
	if !gone(pid) {
		t.Fatalf("grandchild %d is still alive", pid)
	}
	expectOK(t, h.run(t, `{"timeout":{"timeout_ms":5000,"action":`+sh("true")+`}}`))
	expectFailure(t, h.run(t, `{"timeout":{"timeout_ms":5000,"action":`+sh("exit 6")+`}}`), "run sh: exited with status 6")
}

func TestTimeoutSendsSIGKILLAfterTheGraceWhenSIGTERMIsIgnored(t *testing.T) {
	h := newHarness(t)
	h.KillGrace = 200 * time.Millisecond
	start := time.Now()
	expectFailure(t, h.run(t, `{"timeout":{"timeout_ms":100,"action":`+sh(`trap "" TERM; echo ready; sleep 60 & wait; wait`)+`}}`), "exceeded 100ms timeout")
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("not killed after the grace period (%v)", d)
	}
}

func TestCancellingForwardsSIGTERMToTheProcessGroup(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	o := h.runCtx(t, ctx, `{"serial":{"actions":[`+sh(`trap "echo got TERM; exit 0" TERM; while :; do sleep 0.05; done`)+`,`+sh("echo never")+`]}}`)
	// The process exited 0 on its own trap; the serial still stops, cancelled.
	expectFailure(t, o, "cancelled")
	equal(t, h.lines(t, "stdout"), []string{"got TERM"})
}

// gone waits until pid no longer exists; a killed orphan is re-parented to
// the runner (a child subreaper) and reaped there.
func gone(pid int) bool {
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

func TestAKilledActionDoesNotWaitForAProcessThatLeftItsGroupHoldingTheOutput(t *testing.T) {
	h := newHarness(t)
	h.KillGrace = 100 * time.Millisecond
	pidFile := filepath.Join(h.Root, "escaped.pid")
	start := time.Now()
	// setsid puts the sleeper in a new session: the group kill cannot reach it.
	expectFailure(t, h.run(t, `{"timeout":{"timeout_ms":200,"action":`+sh("setsid sleep 30 & echo $! > "+pidFile+"; wait")+`}}`), "exceeded 200ms timeout")
	if d := time.Since(start); d > 4*time.Second {
		t.Fatalf("waited %v for the escaped process", d)
	}
	raw, _ := os.ReadFile(pidFile)
	if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}
