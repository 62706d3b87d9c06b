package testkit

import "log/slog"

// Tests print only warnings and errors of the platform's own logging; one
// line per request would bury the test output.
func init() { slog.SetLogLoggerLevel(slog.LevelWarn) }
