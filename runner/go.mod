module taskbbs.dev/runner

go 1.26
