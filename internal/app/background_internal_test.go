package app

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunEvery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		every time.Duration
		fail  bool
		want  int32 // runs to wait for before stopping
	}{
		{"runs at start, long before the first tick", time.Hour, false, 1},
		{"runs again on every tick", 5 * time.Millisecond, false, 3},
		{"keeps running after a failed run", 5 * time.Millisecond, true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var runs atomic.Int32
			done := make(chan struct{})
			go func() {
				runEvery(ctx, job{name: "test", every: tt.every, run: func(context.Context) (int64, error) {
					runs.Add(1)
					if tt.fail {
						return 0, errors.New("database away")
					}
					return 1, nil
				}})
				close(done)
			}()
			deadline := time.Now().Add(5 * time.Second)
			for runs.Load() < tt.want {
				if time.Now().After(deadline) {
					t.Fatalf("%d runs in 5 s, want %d", runs.Load(), tt.want)
				}
				time.Sleep(time.Millisecond)
			}
			cancel()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("runEvery did not stop when its context ended")
			}
		})
	}
}
