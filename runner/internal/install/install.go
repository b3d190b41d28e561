// Package install is `taskbbs-runner install DEST`: the init container copies
// the runner into the shared emptyDir for the task container to run.
package install

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Copy copies the running executable to dest with mode 0755, through a
// temporary file in dest's directory and a rename, so that dest is never a
// half-written binary.
func Copy(dest string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	src, err := os.Open(self)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".taskbbs-runner-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return fmt.Errorf("cannot install to %s: %w", dest, err)
	}
	return nil
}
