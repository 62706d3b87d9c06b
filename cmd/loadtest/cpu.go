package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of the CPU times in /proc (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuTime is the CPU time (user + system) that a process has used, and
// with children, that of its live child processes (PostgreSQL's backends).
// It returns 0 where /proc is missing.
func cpuTime(pid int, children bool) time.Duration {
	total := procCPU(pid)
	if !children {
		return total
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		f := statFields(string(b))
		if len(f) > 14 && f[1] == strconv.Itoa(pid) {
			total += ticks(f[11]) + ticks(f[12])
		}
	}
	return total
}

func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := statFields(string(b))
	if len(f) < 15 {
		return 0
	}
	return ticks(f[11]) + ticks(f[12])
}

// statFields splits /proc/<pid>/stat after the command name (which may
// hold spaces): f[0] is the state, f[1] the parent pid, f[11] utime, f[12] stime.
func statFields(s string) []string {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

func ticks(s string) time.Duration {
	n, _ := strconv.ParseInt(s, 10, 64)
	return time.Duration(n) * clockTick
}

// postmasterPID reads the cluster's postmaster.pid.
func postmasterPID(dataDir string) int {
	b, err := os.ReadFile(filepath.Join(dataDir, "postgres", "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(line))
	return pid
}
