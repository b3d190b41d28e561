package paths

import "testing"

func TestContainerPathsResolveInsideTheRoot(t *testing.T) {
	cases := []struct{ root, in, want string }{
		{"/tmp/r", "/out/r.txt", "/tmp/r/out/r.txt"},
		{"/tmp/r", "out/r.txt", "/tmp/r/out/r.txt"},
		{"/tmp/r", "/", "/tmp/r"},
		{"/tmp/r", "a/../b", "/tmp/r/b"},
		{"/", "/out/r.txt", "/out/r.txt"},
		{"/", "../../etc", "/etc"},
	}
	for _, c := range cases {
		got, err := InRoot(c.root, c.in)
		if err != nil || got != c.want {
			t.Errorf("InRoot(%q, %q) = %q, %v; want %q", c.root, c.in, got, err, c.want)
		}
	}
}

func TestPathsClimbingOutOfTheRootAreRefused(t *testing.T) {
	for _, in := range []string{"../x", "/a/../../x", "..", "/tmp/../.."} {
		_, err := InRoot("/tmp/r", in)
		if err == nil || err.Error() != in+" resolves outside the task directory" {
			t.Errorf("%q: got %v", in, err)
		}
	}
	if _, err := InRoot("/tmp/r", "/../rx"); err == nil {
		t.Error("a sibling sharing the root's prefix was accepted")
	}
}

func TestWithTheRealRootRelativePathsAreTakenFromTheWorkdir(t *testing.T) {
	cases := []struct{ root, workdir, in, want string }{
		{"/", "/app", "result.txt", "/app/result.txt"},
		{"/", "/app", "../up.txt", "/up.txt"},
		{"/", "/app", "/out/r.txt", "/out/r.txt"},
		{"/", "", "result.txt", "/result.txt"},
		{"/tmp/r", "/app", "result.txt", "/tmp/r/result.txt"},
	}
	for _, c := range cases {
		got, err := Resolve(c.root, c.workdir, c.in)
		if err != nil || got != c.want {
			t.Errorf("Resolve(%q, %q, %q) = %q, %v; want %q", c.root, c.workdir, c.in, got, err, c.want)
		}
	}
}
