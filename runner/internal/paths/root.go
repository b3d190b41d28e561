// Package paths maps container paths onto the runner's --root, as the local
// executor maps them onto its task directory.
package paths

import (
	"fmt"
	"path/filepath"
	"strings"
)

// InRoot resolves a container path (absolute or relative) inside root:
// "/out/r.txt" means root/out/r.txt. A path that climbs out of root is an
// error, with the local executor's wording.
func InRoot(root, containerPath string) (string, error) {
	full := filepath.Join(root, strings.TrimLeft(containerPath, "/"))
	if full != root && !strings.HasPrefix(full, strings.TrimSuffix(root, "/")+"/") {
		return "", fmt.Errorf("%s resolves outside the task directory", containerPath)
	}
	return full, nil
}

// Resolve is InRoot, except that with the real root ("/") a relative path is
// taken from workdir, the directory processes start in (the image's WORKDIR):
// a task running `echo 42 > result.txt` with result_file "result.txt" reads
// the file it wrote, as it does on the local executor, where processes start
// in the directory that stands for the root.
func Resolve(root, workdir, containerPath string) (string, error) {
	if root == "/" && workdir != "" && !filepath.IsAbs(containerPath) {
		return filepath.Join(workdir, containerPath), nil
	}
	return InRoot(root, containerPath)
}
