// Command taskbbs-runner runs a taskbbs task's Diego action tree inside its
// container. See ../../README.md and ../../PROTOCOL.md.
package main

import (
	"fmt"
	"os"

	"taskbbs.dev/runner/internal/install"
	"taskbbs.dev/runner/internal/shim"
	"taskbbs.dev/runner/internal/task"
	"taskbbs.dev/runner/internal/users"
)

const usage = `usage:
  taskbbs-runner install DEST
  taskbbs-runner run --spec FILE [--root DIR] [--termination-log FILE] [--kill-grace DURATION]
`

func main() {
	if shim.Is(os.Args) {
		shim.Main(os.Args)
	}
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(task.ExitRunner)
	}
	switch os.Args[1] {
	case "install":
		if len(os.Args) != 3 {
			fmt.Fprint(os.Stderr, usage)
			os.Exit(task.ExitRunner)
		}
		if err := install.Copy(os.Args[2]); err != nil {
			fmt.Fprintf(os.Stderr, "taskbbs-runner: %v\n", err)
			os.Exit(1)
		}
	case "run":
		opts, err := task.ParseFlags(os.Args[2:], os.Stderr)
		if err != nil {
			os.Exit(task.RunnerError(opts, err))
		}
		opts.Stdout = os.Stdout
		opts.Users = users.System
		os.Exit(task.Run(opts))
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(task.ExitRunner)
	}
}
