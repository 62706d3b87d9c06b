//go:build unix

package devdb

import (
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// setProcAttr runs c as u (when not nil) in its own process group, so a
// Ctrl-C in the terminal reaches our server, which then stops the cluster
// in order, instead of killing PostgreSQL directly.
func setProcAttr(c *exec.Cmd, u *user.User) {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if u != nil {
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		c.Env = append(c.Env, "HOME="+u.HomeDir, "USER="+u.Username)
	}
	c.SysProcAttr = attr
}

func ownedBy(fi os.FileInfo, uid int) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == uid
}
