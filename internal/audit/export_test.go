package audit

import "time"

// SetClock sets the clock of l's memory of recent views, for tests.
func SetClock(l *Log, now func() time.Time) { l.now = now }
