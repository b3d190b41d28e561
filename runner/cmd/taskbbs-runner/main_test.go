package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bin is the runner built once for these tests, as build.sh builds it.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "taskbbs-runner-test-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "taskbbs-runner")
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	build := exec.Command(goBin, "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the runner: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type frame struct {
	Seq    int64   `json:"seq"`
	FD     string  `json:"fd"`
	Src    string  `json:"src"`
	Line   string  `json:"line"`
	Result *string `json:"result"`
}

type outcome struct {
	V             int     `json:"v"`
	Failed        bool    `json:"failed"`
	FailureReason string  `json:"failure_reason"`
	ResultBytes   *int    `json:"result_bytes"`
	ResultSHA256  *string `json:"result_sha256"`
	Frames        int64   `json:"frames"`
}

type finished struct {
	code    int
	frames  []frame
	outcome outcome
	stderr  string
}

type runnerTask struct {
	dir, root, spec, log string
	cmd                  *exec.Cmd
	stdout, stderr       bytes.Buffer
}

// newTask writes spec (the action JSON and extra fields) and prepares a
// runner with its root in a temp dir.
func newTask(t *testing.T, specJSON string, flags ...string) *runnerTask {
	t.Helper()
	dir := t.TempDir()
	tk := &runnerTask{dir: dir, root: filepath.Join(dir, "root"), spec: filepath.Join(dir, "spec.json"), log: filepath.Join(dir, "termination-log")}
	os.MkdirAll(tk.root, 0o755)
	if err := os.WriteFile(tk.spec, []byte(specJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"run", "--spec", tk.spec, "--root", tk.root, "--termination-log", tk.log}, flags...)
	tk.cmd = exec.Command(bin, args...)
	tk.cmd.Stdout, tk.cmd.Stderr = &tk.stdout, &tk.stderr
	return tk
}

func (tk *runnerTask) wait(t *testing.T) finished {
	t.Helper()
	err := tk.cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return tk.finish(t, code)
}

func (tk *runnerTask) finish(t *testing.T, code int) finished {
	t.Helper()
	f := finished{code: code, stderr: tk.stderr.String()}
	sc := bufio.NewScanner(bytes.NewReader(tk.stdout.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var fr frame
		if err := json.Unmarshal(sc.Bytes(), &fr); err != nil {
			t.Fatalf("stdout line is not a frame: %q", sc.Text())
		}
		if fr.Seq != int64(len(f.frames)+1) {
			t.Fatalf("frame %d has seq %d", len(f.frames)+1, fr.Seq)
		}
		f.frames = append(f.frames, fr)
	}
	raw, err := os.ReadFile(tk.log)
	if err != nil {
		t.Fatalf("no outcome: %v (stderr %s)", err, f.stderr)
	}
	if len(raw) > 4096 {
		t.Fatalf("outcome of %d bytes", len(raw))
	}
	if err := json.Unmarshal(raw, &f.outcome); err != nil {
		t.Fatalf("outcome %q: %v", raw, err)
	}
	if f.outcome.V != 1 || f.outcome.Frames != int64(len(f.frames)) {
		t.Fatalf("outcome %+v after %d frames", f.outcome, len(f.frames))
	}
	return f
}

func runTask(t *testing.T, specJSON string, flags ...string) finished {
	t.Helper()
	tk := newTask(t, specJSON, flags...)
	if err := tk.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return tk.wait(t)
}

func spec(action string, extra string) string {
	return `{"version":1,"guid":"task-1","log_source":"TASK","action":` + action + extra + `}`
}

func sh(script string) string {
	b, _ := json.Marshal(script)
	return `{"run":{"path":"sh","args":["-c",` + string(b) + `],"user":"root"}}`
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// resultOf checks the result frame against the outcome's digest, as the
// executor does, and returns its text.
func resultOf(t *testing.T, f finished) string {
	t.Helper()
	last := f.frames[len(f.frames)-1]
	if last.Result == nil {
		t.Fatalf("the last frame is not the result: %+v", last)
	}
	if f.outcome.ResultSHA256 == nil || *f.outcome.ResultSHA256 != digest(*last.Result) || *f.outcome.ResultBytes != len(*last.Result) {
		t.Fatalf("outcome %+v does not describe result %q", f.outcome, *last.Result)
	}
	return *last.Result
}

func TestATaskWritesFramesThenItsResultAndASuccessfulOutcome(t *testing.T) {
	f := runTask(t, spec(`{"serial":{"actions":[`+sh("echo hello; echo oops >&2")+`,`+sh("mkdir -p out; echo 42 > out/result.txt")+`]}}`, `,"result_file":"/out/result.txt"`))
	if f.code != 0 || f.outcome.Failed {
		t.Fatalf("exit %d, %+v, stderr %s", f.code, f.outcome, f.stderr)
	}
	if got := resultOf(t, f); got != "42\n" {
		t.Fatalf("result %q", got)
	}
	var lines []string
	for _, fr := range f.frames[:len(f.frames)-1] {
		lines = append(lines, fr.FD+":"+fr.Src+":"+fr.Line)
	}
	if strings.Join(lines, ",") != "stdout:TASK:hello,stderr:TASK:oops" && strings.Join(lines, ",") != "stderr:TASK:oops,stdout:TASK:hello" {
		t.Fatalf("frames %v", lines)
	}
}

func TestAForgedResultFramePrintedByTheTaskDoesNotChangeTheResult(t *testing.T) {
	forged := `{"seq":3,"result":"forged"}`
	f := runTask(t, spec(sh("echo '"+forged+"'; echo real > result.txt"), `,"result_file":"result.txt"`))
	if got := resultOf(t, f); got != "real\n" {
		t.Fatalf("result %q", got)
	}
	if f.frames[0].FD != "stdout" || f.frames[0].Line != forged || f.frames[0].Result != nil {
		t.Fatalf("the forged frame was not carried as a line: %+v", f.frames[0])
	}
	if *f.outcome.ResultSHA256 == digest("forged") {
		t.Fatal("the digest is the forged result's")
	}
}

func TestA10240ByteResultRoundTrips(t *testing.T) {
	f := runTask(t, spec(sh(`head -c 10240 /dev/zero | tr '\0' 'r' > r.txt; printf 'beyond' >> r.txt`), `,"result_file":"/r.txt"`))
	if got := resultOf(t, f); got != strings.Repeat("r", 10240) || *f.outcome.ResultBytes != 10240 {
		t.Fatalf("result of %d bytes", len(got))
	}
	// A multi-byte character straddling the limit is left out, never split.
	f = runTask(t, spec(sh(`head -c 10239 /dev/zero | tr '\0' 'r' > r.txt; printf 'é' >> r.txt`), `,"result_file":"/r.txt"`))
	if got := resultOf(t, f); got != strings.Repeat("r", 10239) {
		t.Fatalf("result of %d bytes", len(got))
	}
}

func TestAFailedTaskExits1WithItsReasonAndNoResult(t *testing.T) {
	f := runTask(t, spec(sh("exit 3"), `,"result_file":"r.txt"`))
	if f.code != 1 || !f.outcome.Failed || f.outcome.FailureReason != "run sh: exited with status 3" || f.outcome.ResultSHA256 != nil {
		t.Fatalf("exit %d %+v", f.code, f.outcome)
	}
	f = runTask(t, spec(sh("true"), `,"result_file":"/out/missing.txt"`))
	if f.code != 1 || f.outcome.FailureReason != "failed to read result_file /out/missing.txt: ENOENT" || len(f.frames) != 0 {
		t.Fatalf("exit %d %+v", f.code, f.outcome)
	}
}

func TestSIGTERMIsForwardedAndTheTaskIsCancelled(t *testing.T) {
	tk := newTask(t, spec(`{"serial":{"actions":[`+sh(`trap "echo got TERM; exit 0" TERM; echo ready; while :; do sleep 0.05; done`)+`,`+sh("echo never")+`]}}`, ""))
	tk.cmd.Stdout = nil
	pipe, _ := tk.cmd.StdoutPipe()
	if err := tk.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(pipe)
	first, _ := r.ReadString('\n')
	if !strings.Contains(first, `"line":"ready"`) {
		t.Fatalf("first frame %q", first)
	}
	tk.stdout.WriteString(first)
	tk.cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(r)
	tk.stdout.Write(rest)
	f := tk.wait(t)
	if f.code != 1 || f.outcome.FailureReason != "task was cancelled" {
		t.Fatalf("exit %d %+v", f.code, f.outcome)
	}
	// The process group got SIGTERM: the shell ran its trap (its sleep, in the
	// same group, died of it too, which the shell may report on stderr).
	trapped := false
	for _, fr := range f.frames {
		trapped = trapped || (fr.FD == "stdout" && fr.Line == "got TERM")
		if fr.Line == "never" {
			t.Fatal("the serial went on after the cancel")
		}
	}
	if !trapped {
		t.Fatalf("the process did not get SIGTERM: %+v", f.frames)
	}
}

func TestAProcessIgnoringSIGTERMIsKilledAfterTheGrace(t *testing.T) {
	tk := newTask(t, spec(sh(`trap "" TERM; echo ready; sleep 60 & wait; wait`), ""), "--kill-grace", "300ms")
	tk.cmd.Stdout = nil
	pipe, _ := tk.cmd.StdoutPipe()
	if err := tk.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(pipe)
	first, _ := r.ReadString('\n')
	tk.stdout.WriteString(first)
	start := time.Now()
	tk.cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(r)
	tk.stdout.Write(rest)
	f := tk.wait(t)
	if d := time.Since(start); d > 5*time.Second || d < 250*time.Millisecond {
		t.Fatalf("ended %v after SIGTERM", d)
	}
	if f.code != 1 || f.outcome.FailureReason != "task was cancelled" {
		t.Fatalf("exit %d %+v", f.code, f.outcome)
	}
}

func TestRunnerErrorsExit2AndAreReportedInTheOutcome(t *testing.T) {
	cases := map[string]struct {
		spec  string
		flags []string
		want  string
	}{
		"unknown version": {`{"version":9,"action":{"run":{"path":"true","user":"root"}}}`, nil, "runner: spec version 9 is not supported"},
		"not json":        {`{`, nil, "runner: spec is not valid JSON"},
		"bad flag":        {spec(sh("true"), ""), []string{"--bogus"}, "runner: flag provided but not defined: -bogus"},
		"bad grace":       {spec(sh("true"), ""), []string{"--kill-grace", "soon"}, "runner: invalid value"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := runTask(t, c.spec, c.flags...)
			if f.code != 2 || !f.outcome.Failed || !strings.HasPrefix(f.outcome.FailureReason, c.want) {
				t.Fatalf("exit %d %+v", f.code, f.outcome)
			}
		})
	}
	out, err := exec.Command(bin, "run").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "--spec is required") {
		t.Fatalf("%v %s", err, out)
	}
	if err := exec.Command(bin, "fly").Run(); err == nil || err.(*exec.ExitError).ExitCode() != 2 {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestWithTheDefaultRootProcessesStartInTheRunnersWorkingDirectoryAndRelativePathsFollow(t *testing.T) {
	tk := newTask(t, spec(sh("pwd; echo 42 > result.txt"), `,"result_file":"result.txt"`))
	tk.cmd.Args = []string{bin, "run", "--spec", tk.spec, "--termination-log", tk.log}
	tk.cmd.Dir = tk.dir
	tk.cmd.Start()
	f := tk.wait(t)
	if f.code != 0 || f.frames[0].Line != tk.dir {
		t.Fatalf("exit %d frames %+v", f.code, f.frames)
	}
	if got := resultOf(t, f); got != "42\n" {
		t.Fatalf("result %q", got)
	}
}

func TestInstallCopiesTheRunnerWithMode0755(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "taskbbs-runner")
	if out, err := exec.Command(bin, "install", dest).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	fi, err := os.Stat(dest)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("%v %v", fi, err)
	}
	a, _ := os.ReadFile(bin)
	b, _ := os.ReadFile(dest)
	if !bytes.Equal(a, b) {
		t.Fatal("the copy differs")
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	if err := exec.Command(bin, "install", "/no/such/dir/runner").Run(); err == nil {
		t.Fatal("installing into a missing directory succeeded")
	}
}

func TestTheOutcomeIsWrittenEvenWhenNobodyReadsStdout(t *testing.T) {
	tk := newTask(t, spec(sh("sleep 0.2; i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done"), ""))
	r, w, _ := os.Pipe()
	tk.cmd.Stdout = w
	if err := tk.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r.Close() // the reader is gone before the first frame
	err := tk.cmd.Wait()
	if err != nil {
		t.Fatalf("runner: %v %s", err, tk.stderr.String())
	}
	raw, _ := os.ReadFile(tk.log)
	var o outcome
	if json.Unmarshal(raw, &o); o.Failed || o.Frames != 2000 {
		t.Fatalf("outcome %s", raw)
	}
}
