package transfer

import "syscall"

type syscallStat = syscall.Stat_t
