package actions

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"taskbbs.dev/runner/internal/frames"
	"taskbbs.dev/runner/internal/shim"
	"taskbbs.dev/runner/internal/spec"
	"taskbbs.dev/runner/internal/users"
)

// The test binary is also the exec shim: run actions start os.Executable()
// with the shim's arguments, as the runner starts itself.
func TestMain(m *testing.M) {
	if shim.Is(os.Args) {
		shim.Main(os.Args)
	}
	os.Exit(m.Run())
}

type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type frame struct {
	Seq  int64  `json:"seq"`
	FD   string `json:"fd"`
	Src  string `json:"src"`
	Line string `json:"line"`
}

type harness struct {
	*Executor
	out *safeBuffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out := &safeBuffer{}
	root := t.TempDir()
	return &harness{out: out, Executor: &Executor{
		Root: root, Cwd: root, Env: os.Environ(), LogSource: "TASK",
		KillGrace: 500 * time.Millisecond, Self: self, Users: users.System,
		IsRoot: os.Geteuid() == 0, UID: uint32(os.Geteuid()),
		Frames: frames.NewWriter(out), HTTP: NewHTTPClient(),
	}}
}

// run parses a JSON action and runs it.
func (h *harness) run(t *testing.T, action string) Outcome {
	t.Helper()
	return h.runCtx(t, context.Background(), action)
}

func (h *harness) runCtx(t *testing.T, ctx context.Context, action string) Outcome {
	t.Helper()
	s, err := spec.Parse([]byte(`{"version":1,"action":` + action + `}`))
	if err != nil {
		t.Fatalf("bad action in test: %v", err)
	}
	return h.Run(ctx, s.Action)
}

func (h *harness) frames(t *testing.T) []frame {
	t.Helper()
	var fs []frame
	sc := bufio.NewScanner(strings.NewReader(h.out.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var f frame
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("frame %q is not JSON: %v", sc.Text(), err)
		}
		fs = append(fs, f)
	}
	return fs
}

// lines are the frames' texts of one fd, in order.
func (h *harness) lines(t *testing.T, fd string) []string {
	var ls []string
	for _, f := range h.frames(t) {
		if f.FD == fd {
			ls = append(ls, f.Line)
		}
	}
	return ls
}

func run(path string, args ...string) string {
	a, _ := json.Marshal(map[string]any{"run": map[string]any{"path": path, "args": args, "user": "root"}})
	return string(a)
}

func sh(script string) string { return run("sh", "-c", script) }

func expectOK(t *testing.T, o Outcome) {
	t.Helper()
	if o.Failed {
		t.Fatalf("expected success, failed with %q", o.Reason)
	}
}

func expectFailure(t *testing.T, o Outcome, reason string) {
	t.Helper()
	if !o.Failed || o.Reason != reason {
		t.Fatalf("expected failure %q, got %+v", reason, o)
	}
}

func equal[T comparable](t *testing.T, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
