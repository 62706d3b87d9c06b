package dbread_test

import (
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/dbread"
)

// TestDescribe: the /readyz line for each state, and lags written so that
// one just over the limit never reads as equal to it.
func TestDescribe(t *testing.T) {
	t.Parallel()
	const fallback = "lezen van de primaire database"
	limit := 30 * time.Second
	tests := []struct {
		st   dbread.Status
		want string
	}{
		{dbread.Status{}, ""},
		{dbread.Status{Configured: true, State: dbread.Healthy, LagKnown: true, MaxLag: limit}, "leesreplica: ok (achterstand 0s)"},
		{dbread.Status{Configured: true, State: dbread.Healthy, Lag: 400 * time.Millisecond, LagKnown: true, MaxLag: limit},
			"leesreplica: ok (achterstand 0.4s)"},
		{dbread.Status{Configured: true, State: dbread.Healthy, Lag: 12345 * time.Millisecond, LagKnown: true, MaxLag: limit},
			"leesreplica: ok (achterstand 12.4s)"},
		{dbread.Status{Configured: true, State: dbread.Lagging, Lag: 45 * time.Second, LagKnown: true, MaxLag: limit},
			"leesreplica: niet in gebruik, " + fallback + " (achterstand 45s > 30s)"},
		{dbread.Status{Configured: true, State: dbread.Lagging, Lag: 1001 * time.Millisecond, LagKnown: true, MaxLag: time.Second},
			"leesreplica: niet in gebruik, " + fallback + " (achterstand 1.01s > 1s)"},
		{dbread.Status{Configured: true, State: dbread.Lagging, MaxLag: limit},
			"leesreplica: niet in gebruik, " + fallback + " (achterstand onbekend)"},
		{dbread.Status{Configured: true, State: dbread.Unreachable, MaxLag: limit}, "leesreplica: onbereikbaar, " + fallback},
		{dbread.Status{Configured: true, State: dbread.NotStandby, MaxLag: limit},
			"leesreplica: geen standby (niet in herstelmodus), " + fallback},
		{dbread.Status{Configured: true, State: dbread.Unchecked, MaxLag: limit}, "leesreplica: nog niet gecontroleerd, " + fallback},
	}
	for _, tt := range tests {
		if got := tt.st.Describe(); got != tt.want {
			t.Errorf("Describe(%+v) = %q, want %q", tt.st, got, tt.want)
		}
	}
}
