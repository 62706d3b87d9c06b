package event_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/event"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// TestLastPlaceRace: two people taking the last place at the same moment
// get one place and one waiting-list place, never two places. Repeated on
// fresh events so the two transactions really overlap some of the time.
func TestLastPlaceRace(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for round := range 8 {
		e := soon(fmt.Sprintf("Race %d", round))
		e.capacity = 2
		id := w.insert(t, e)
		if st, _, err := w.store.SignUp(ctx, id, w.owner, time.Now()); err != nil || st != event.SignedUp {
			t.Fatalf("first sign-up: %v %v", st, err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		got := make([]event.Status, 2)
		errs := make([]error, 2)
		for i, who := range []int64{w.ann, w.bob} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got[i], _, errs[i] = w.store.SignUp(ctx, id, who, time.Now())
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		places, waiting := 0, 0
		for _, st := range got {
			switch st {
			case event.SignedUp:
				places++
			case event.OnWaitingList:
				waiting++
			}
		}
		if places != 1 || waiting != 1 {
			t.Fatalf("round %d: %d places and %d waiting, want 1 and 1", round, places, waiting)
		}
		var taken int
		if err := w.s.DB.QueryRow(ctx, `SELECT count(*) FROM event_signups WHERE event_id = $1 AND NOT waiting`, id).Scan(&taken); err != nil {
			t.Fatal(err)
		}
		if taken != 2 {
			t.Fatalf("round %d: %d places taken in the database, capacity 2", round, taken)
		}
	}
}

// TestWaitingListMovesUp: a cancellation gives the freed place to the first
// on the waiting list at once, who is notified; more places move more up.
func TestWaitingListMovesUp(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	carol := w.s.CreateUser(t, "carol@example.nl", role.Resident).ID
	e := soon("Soep koken")
	e.capacity = 1
	id := w.insert(t, e)
	for i, who := range []int64{w.ann, w.bob, carol} {
		want := event.OnWaitingList
		if i == 0 {
			want = event.SignedUp
		}
		st, already, err := w.store.SignUp(ctx, id, who, time.Now())
		if err != nil || st != want || already {
			t.Fatalf("sign-up %d: %v %v %v, want %v", i, st, already, err, want)
		}
		time.Sleep(2 * time.Millisecond) // distinct sign-up times: first come, first served
	}
	// Signing up twice changes nothing.
	if st, already, err := w.store.SignUp(ctx, id, w.bob, time.Now()); err != nil || !already || st != event.OnWaitingList {
		t.Fatalf("second sign-up: %v %v %v", st, already, err)
	}
	signed, err := w.store.Withdraw(ctx, id, w.ann)
	if err != nil || !signed {
		t.Fatalf("withdraw: %v %v", signed, err)
	}
	_, a, err := w.store.Get(ctx, id, event.Viewer{ID: w.bob})
	if err != nil || a.Status != event.SignedUp {
		t.Fatalf("bob after ann cancelled: %v %v, want signed up", a.Status, err)
	}
	if n := notifications(t, w, w.bob, "agenda"); len(n) != 1 {
		t.Fatalf("bob's agenda notifications: %q, want the move up", n)
	}
	_, a, _ = w.store.Get(ctx, id, event.Viewer{ID: carol})
	if a.Status != event.OnWaitingList {
		t.Fatalf("carol: %v, want still waiting", a.Status)
	}
	// The organiser heard of every sign-up.
	if n := notifications(t, w, w.worker, "aanmeldingen"); len(n) != 3 {
		t.Fatalf("organiser's sign-up notifications: %d, want 3", len(n))
	}
	// A waiting person who withdraws frees nothing.
	if signed, err := w.store.Withdraw(ctx, id, carol); err != nil || !signed {
		t.Fatalf("carol withdraws: %v %v", signed, err)
	}
	if signed, err := w.store.Withdraw(ctx, id, carol); err != nil || signed {
		t.Fatalf("carol withdraws twice: %v %v", signed, err)
	}
}

// TestMorePlacesMoveTheListUp: raising the capacity fills the new places
// from the waiting list; lowering it below the places taken is refused.
func TestMorePlacesMoveTheListUp(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	e := soon("Klussen")
	e.capacity = 1
	id := w.insert(t, e)
	for _, who := range []int64{w.ann, w.bob, w.owner} {
		if _, _, err := w.store.SignUp(ctx, id, who, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err := w.store.Get(ctx, id, event.Viewer{ID: w.worker})
	if err != nil {
		t.Fatal(err)
	}
	in := event.Input{Title: got.Title, Theme: got.Theme, StartsAt: got.StartsAt, EndsAt: got.EndsAt, PlaceText: got.PlaceText,
		Visibility: event.Public, Capacity: 3, NeighbourhoodIDs: []int64{w.lombokOost}}
	if err := w.store.Update(ctx, id, in, w.worker); err != nil {
		t.Fatal(err)
	}
	if n := notifications(t, w, w.ann, "agenda"); len(n) != 0 {
		t.Errorf("more places, same time and place: ann notified %q", n)
	}
	got, _, _ = w.store.Get(ctx, id, event.Viewer{ID: w.worker})
	if got.SignedUp != 3 || got.Waiting != 0 || got.Sequence != 1 {
		t.Fatalf("after 3 places: %d taken, %d waiting, sequence %d", got.SignedUp, got.Waiting, got.Sequence)
	}
	in.Capacity = 2
	if err := w.store.Update(ctx, id, in, w.worker); !errors.Is(err, event.ErrCapacityBelow) {
		t.Fatalf("capacity below sign-ups: %v", err)
	}
	// Someone else is no organiser.
	in.Capacity = 5
	if err := w.store.Update(ctx, id, in, w.ann); !errors.Is(err, event.ErrForbidden) {
		t.Fatalf("update by a non-organiser: %v", err)
	}
}

// TestCancelAndClosedSignUps: a cancelled event tells everyone signed up,
// takes no sign-ups, and a started one neither.
func TestCancelAndClosedSignUps(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	id := w.insert(t, soon("Straatfeest"))
	if _, _, err := w.store.SignUp(ctx, id, w.ann, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := w.store.Cancel(ctx, id, w.ann, "Nee"); !errors.Is(err, event.ErrForbidden) {
		t.Fatalf("cancel by a participant: %v", err)
	}
	if err := w.store.Cancel(ctx, id, w.worker, "Het regent te hard."); err != nil {
		t.Fatal(err)
	}
	n := notifications(t, w, w.ann, "agenda")
	if len(n) != 1 || !contains(n[0], "Het regent te hard.") {
		t.Fatalf("ann's notification: %q", n)
	}
	if _, _, err := w.store.SignUp(ctx, id, w.bob, time.Now()); !errors.Is(err, event.ErrCancelled) {
		t.Fatalf("sign-up for a cancelled event: %v", err)
	}
	started := soon("Al begonnen")
	started.start = time.Now().Add(-time.Minute)
	sid := w.insert(t, started)
	if _, _, err := w.store.SignUp(ctx, sid, w.bob, time.Now()); !errors.Is(err, event.ErrStarted) {
		t.Fatalf("sign-up for a started event: %v", err)
	}
}

// TestRemindersOnce: those with a place hear a day before, once; the
// waiting list, cancelled events and later events do not.
func TestRemindersOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	now := time.Now()
	tomorrow := soon("Morgen")
	tomorrow.start, tomorrow.end, tomorrow.capacity = now.Add(20*time.Hour), now.Add(22*time.Hour), 1
	later := soon("Volgende week")
	later.start, later.end = now.Add(7*24*time.Hour), now.Add(7*24*time.Hour+time.Hour)
	a, b := w.insert(t, tomorrow), w.insert(t, later)
	for _, e := range []int64{a, b} {
		for _, who := range []int64{w.ann, w.bob} {
			if _, _, err := w.store.SignUp(ctx, e, who, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	for run := range 2 {
		n, err := w.store.SendReminders(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(1 - run); n != want {
			t.Fatalf("run %d reminded %d events, want %d", run, n, want)
		}
	}
	if n := notifications(t, w, w.ann, "agenda"); len(n) != 1 || !contains(n[0], "Herinnering") {
		t.Fatalf("ann (a place): %q", n)
	}
	if n := notifications(t, w, w.bob, "agenda"); len(n) != 0 {
		t.Fatalf("bob (waiting list): %q", n)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
