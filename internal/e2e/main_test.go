package e2e

import (
	"os"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.CloseBrowser()
	os.Exit(code)
}
