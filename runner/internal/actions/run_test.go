package actions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunEmitsStdoutAndStderrLinesWithTheLogSource(t *testing.T) {
	h := newHarness(t)
	expectOK(t, h.run(t, `{"run":{"path":"sh","args":["-c","echo out1; echo err1 >&2; printf 'no newline'"],"user":"root","log_source":"APP"}}`))
	equal(t, h.lines(t, "stdout"), []string{"out1", "no newline"})
	equal(t, h.lines(t, "stderr"), []string{"err1"})
	for i, f := range h.frames(t) {
		if f.Src != "APP" || f.Seq != int64(i+1) {
			t.Fatalf("frame %d: %+v", i, f)
		}
	}
}

func TestRunFailureReasons(t *testing.T) {
	h := newHarness(t)
	expectFailure(t, h.run(t, sh("exit 3")), "run sh: exited with status 3")
	expectFailure(t, h.run(t, sh("kill -KILL $$")), "run sh: killed by SIGKILL")
	expectFailure(t, h.run(t, run("no-such-program-anywhere")), "run no-such-program-anywhere: could not start: ENOENT")
	expectFailure(t, h.run(t, run("/no/such/file")), "run /no/such/file: could not start: ENOENT")
	notExec := filepath.Join(h.Root, "plain.txt")
	os.WriteFile(notExec, []byte("data"), 0o644)
	expectFailure(t, h.run(t, run(notExec)), "run "+notExec+": could not start: EACCES")
}

func TestRunLooksThePathUpInTheMergedEnvironmentsPATH(t *testing.T) {
	h := newHarness(t)
	bin := filepath.Join(h.Root, "bin")
	os.MkdirAll(bin, 0o755)
	os.WriteFile(filepath.Join(bin, "hello-tool"), []byte("#!/bin/sh\necho tool says $GREETING\n"), 0o755)
	expectFailure(t, h.run(t, run("hello-tool")), "run hello-tool: could not start: ENOENT")
	expectOK(t, h.run(t, `{"run":{"path":"hello-tool","user":"root","env":[{"name":"PATH","value":"`+bin+`:/usr/bin:/bin"},{"name":"GREETING","value":"hi"}]}}`))
	equal(t, h.lines(t, "stdout"), []string{"tool says hi"})
}

func TestRunEnvironmentIsTheContainersThenTheActionsLaterWins(t *testing.T) {
	h := newHarness(t)
	h.Env = append(h.Env, "FROM_CONTAINER=c", "OVERRIDDEN=container")
	expectOK(t, h.run(t, `{"run":{"path":"sh","args":["-c","echo $FROM_CONTAINER $OVERRIDDEN $TWICE"],"user":"root",
		"env":[{"name":"OVERRIDDEN","value":"action"},{"name":"TWICE","value":"first"},{"name":"TWICE","value":"second"}]}}`))
	equal(t, h.lines(t, "stdout"), []string{"c action second"})
}

func TestRunDirIsInsideTheRootAndCreated(t *testing.T) {
	h := newHarness(t)
	expectOK(t, h.run(t, `{"run":{"path":"pwd","user":"root","dir":"/work/sub"}}`))
	equal(t, h.lines(t, "stdout"), []string{filepath.Join(h.Root, "work/sub")})
	h2 := newHarness(t)
	expectOK(t, h2.run(t, run("pwd")))
	equal(t, h2.lines(t, "stdout"), []string{h2.Root})
}

func TestSuppressLogOutputDropsTheProcessOutput(t *testing.T) {
	h := newHarness(t)
	expectOK(t, h.run(t, `{"run":{"path":"sh","args":["-c","echo secret; echo secret >&2"],"user":"root","suppress_log_output":true}}`))
	if fs := h.frames(t); len(fs) != 0 {
		t.Fatalf("frames written: %+v", fs)
	}
}

func TestEachProcessLeadsItsOwnProcessGroup(t *testing.T) {
	h := newHarness(t)
	// Field 5 of /proc/PID/stat is the process group.
	expectOK(t, h.run(t, sh(`echo $$ $(cut -d' ' -f5 /proc/$$/stat)`)))
	fields := strings.Fields(h.lines(t, "stdout")[0])
	if len(fields) != 2 || fields[0] != fields[1] {
		t.Fatalf("pid and pgid differ: %q", fields)
	}
}

func TestLongLinesAreSplitAt64KiB(t *testing.T) {
	h := newHarness(t)
	expectOK(t, h.run(t, sh(`head -c 150000 /dev/zero | tr '\0' x`)))
	lines := h.lines(t, "stdout")
	if len(lines) != 3 || len(lines[0]) != 65536 || len(lines[1]) != 65536 || len(lines[2]) != 150000-2*65536 {
		t.Fatalf("line lengths: %d lines", len(lines))
	}
}
