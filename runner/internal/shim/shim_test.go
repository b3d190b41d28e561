package shim

import (
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

// execvpe returns only when nothing could be executed; these cases never exec.
func TestThePATHSearchReportsErrorsAsExecvpDoes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tool"), []byte("not executable"), 0o644)
	empty := t.TempDir()
	cases := []struct {
		file string
		path string
		want error
	}{
		{"tool", "PATH=" + empty, syscall.ENOENT},
		{"tool", "PATH=" + empty + ":" + dir, syscall.EACCES}, // found but not executable
		{filepath.Join(dir, "tool"), "PATH=" + empty, syscall.EACCES},
		{filepath.Join(empty, "tool"), "PATH=" + dir, syscall.ENOENT}, // a path with a slash is not searched
	}
	for _, c := range cases {
		if err := execvpe(c.file, []string{c.file}, []string{c.path}); err != c.want {
			t.Errorf("%s with %s: got %v, want %v", c.file, c.path, err, c.want)
		}
	}
}

func TestArgvCarriesTheConfigAndTheCommandLine(t *testing.T) {
	argv := Argv("/bin/runner", Config{Nofile: 10, Switch: true, UID: 1, GID: 2, Groups: []uint32{2}}, "sh", []string{"-c", "echo"})
	if !Is(argv) || !reflect.DeepEqual(argv[3:], []string{"sh", "-c", "echo"}) || argv[2] != `{"nofile":10,"switch":true,"uid":1,"gid":2,"groups":[2]}` {
		t.Fatalf("%q", argv)
	}
	if Is([]string{"/bin/runner", "run"}) {
		t.Fatal("run taken for the shim")
	}
}
