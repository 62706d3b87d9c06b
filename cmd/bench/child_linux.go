package main

import "syscall"

// childAttr makes the kernel stop a child server when the bench itself dies
// without cleaning up (kill -9), so no server is left on a random port.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
