package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/contact"
	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// workload is a crowd of simulated users clicking through the platform.
type workload struct {
	users    []*user
	fx       fixtures
	bases    []string // server URLs; a user alternates between them
	think    [2]time.Duration
	rec      *recorder
	ledger   *ledger
	runID    string // marks this run's initiative titles
	overview bool   // officers open /overzicht
	seq      atomic.Int64
}

// user is one simulated person with their own cookie jar. The session
// lives on from one scenario to the next, over outages and restarts.
type user struct {
	w      *workload
	a      acct
	client *http.Client
	rnd    *rand.Rand
	next   int // which base URL to use next
	logged bool
	// A form whose submit was not acknowledged (error, outage): the person
	// submits the same form again, with the same hidden key.
	pendingInit    url.Values
	pendingContact url.Values
}

// newUsers gives every account a cookie jar; they share one transport.
func newUsers(accts []acct) []*user {
	tr := &http.Transport{MaxIdleConns: 4 * len(accts), MaxIdleConnsPerHost: 2 * len(accts), IdleConnTimeout: 90 * time.Second}
	users := make([]*user, len(accts))
	for i, a := range accts {
		jar, _ := cookiejar.New(nil)
		users[i] = &user{a: a, rnd: rand.New(rand.NewPCG(uint64(i)+1, uint64(time.Now().UnixNano()))),
			client: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	}
	return users
}

// attach makes the users work for w, forgetting forms of an earlier run.
func (w *workload) attach() {
	for _, u := range w.users {
		u.w, u.next, u.pendingInit, u.pendingContact = w, 0, nil, nil
	}
}

// run lets every user click until stop is closed; each starts after a
// random pause, so they do not all click at the same moment. Requests in
// flight when stop closes are completed.
func (w *workload) run(stop <-chan struct{}) {
	w.attach()
	var wg sync.WaitGroup
	for _, u := range w.users {
		delay := time.Duration(u.rnd.Int64N(int64(w.think[1]) + 1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !sleep(stop, delay) {
				return
			}
			u.loop(stop)
		}()
	}
	wg.Wait()
}

// loginAll logs every user in, n at a time.
func (w *workload) loginAll(n int) {
	w.attach()
	jobs := make(chan *user)
	var wg sync.WaitGroup
	for range max(1, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				u.login()
			}
		}()
	}
	for _, u := range w.users {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
}

// sleep waits d or until stop; false when stopped.
func sleep(stop <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-stop:
		return false
	case <-t.C:
		return true
	}
}

func (u *user) loop(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if !u.logged {
			u.login()
		} else {
			u.act()
		}
		think := u.w.think[0]
		if span := u.w.think[1] - u.w.think[0]; span > 0 {
			think += time.Duration(u.rnd.Int64N(int64(span)))
		}
		if !sleep(stop, think) {
			return
		}
	}
}

// act picks what this person does next, by role.
func (u *user) act() {
	fx := u.w.fx
	p := u.rnd.IntN(100)
	switch u.a.role {
	case resident:
		switch {
		case p < 15:
			u.get("GET /", "/")
		case p < 25:
			u.get("GET /buurten", "/buurten")
		case p < 45:
			u.get("GET /buurten/{code}", "/buurten/"+pick(u.rnd, fx.neighbourhoods))
		case p < 65:
			q := url.Values{"gemeente": {fx.municipality}}
			if u.rnd.IntN(2) == 0 {
				q.Set("thema", pick(u.rnd, fx.themes))
			} else {
				q.Set("buurt", pick(u.rnd, fx.neighbourhoods))
			}
			u.get("GET /initiatieven?filters", "/initiatieven?"+q.Encode())
		case p < 90:
			u.get("GET /initiatieven/{id}", "/initiatieven/"+strconv.FormatInt(pick(u.rnd, fx.initiatives), 10))
		default:
			u.registerInitiative()
		}
	case worker:
		switch {
		case p < 50:
			u.logContact()
		case p < 80:
			u.get("GET /contacten", "/contacten")
		case p < 90:
			u.get("GET /signalen", "/signalen")
		default:
			u.get("GET /buurten/{code}", "/buurten/"+pick(u.rnd, fx.neighbourhoods))
		}
	case officer:
		switch {
		case p < 40 && u.w.overview:
			u.get("GET /overzicht", "/overzicht")
		case p < 60:
			u.get("GET /signalen", "/signalen")
		case p < 80:
			u.get("GET /aanvragen", "/aanvragen")
		default:
			u.get("GET /initiatieven?filters", "/initiatieven?gemeente="+fx.municipality)
		}
	}
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// response is what a request brought back.
type response struct {
	status   int
	location string
	body     string
	out      outcome
}

// do sends one request and records it under kind. want is the expected
// status; check may add a further condition on the response.
func (u *user) do(kind, method, path string, payload any, check func(response) string, want ...int) response {
	base := u.w.bases[u.next%len(u.w.bases)]
	u.next++
	var body io.Reader
	contentType := ""
	switch p := payload.(type) {
	case url.Values:
		body, contentType = strings.NewReader(p.Encode()), "application/x-www-form-urlencoded"
	case []byte:
		body, contentType = bytes.NewReader(p), "application/json"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, base+path, body)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
		// Our forms and JSON bodies carry an idempotency token, so a resend
		// is safe; this header lets Go's transport resend on a connection
		// the server closed before reading the request (as browsers do).
		req.Header["Idempotency-Key"] = nil // nil: counts as idempotent, not sent
	}
	start := time.Now()
	u.w.rec.inflight.Add(1)
	res, err := u.client.Do(req)
	var r response
	var problem string
	if err == nil {
		b, rerr := io.ReadAll(res.Body)
		res.Body.Close()
		r = response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b)}
		err = rerr
	}
	d := time.Since(start)
	u.w.rec.inflight.Add(-1)
	switch {
	case err != nil:
		problem = "transport: " + err.Error()
	case !slices.Contains(want, r.status):
		problem = fmt.Sprintf("status %d, want %v (%s %s)", r.status, want, method, path)
		if r.status == http.StatusSeeOther && strings.HasPrefix(r.location, "/inloggen") {
			problem += ": session lost"
		}
	case check != nil:
		problem = check(r)
	}
	r.out = u.w.rec.add(kind, start, d, r.status, err, problem)
	if r.out == outFailed && r.status == http.StatusSeeOther && strings.HasPrefix(r.location, "/inloggen") {
		u.logged = false
	}
	return r
}

func (u *user) get(kind, path string) response {
	return u.do(kind, http.MethodGet, path, nil, nil, http.StatusOK)
}

func (u *user) login() {
	form := url.Values{"email": {u.a.email}, "password": {demoPassword}}
	r := u.do("POST /inloggen", http.MethodPost, "/inloggen", form, func(r response) string {
		if strings.HasPrefix(r.location, "/inloggen") {
			return "login refused: " + r.location
		}
		return ""
	}, http.StatusSeeOther)
	u.logged = r.out == outOK
}

var (
	reKey      = regexp.MustCompile(`name="sleutel" value="([0-9a-f-]{36})"`)
	reClientID = regexp.MustCompile(`name="client_id" value="([0-9a-f-]{36})"`)
	reInitURL  = regexp.MustCompile(`^/initiatieven/[0-9]+$`)
)

// registerInitiative opens the form and submits a new initiative, or
// resubmits the one that was not acknowledged before.
func (u *user) registerInitiative() {
	retry := u.pendingInit != nil
	form := u.pendingInit
	if form == nil {
		r := u.get("GET /initiatieven/nieuw", "/initiatieven/nieuw?gemeente="+u.w.fx.municipality)
		if r.out != outOK {
			return
		}
		key := uuid.New()
		if m := reKey.FindStringSubmatch(r.body); m != nil {
			key = m[1]
		}
		n := u.w.seq.Add(1)
		form = url.Values{
			"titel":         {fmt.Sprintf("%s %d: buurtmoestuin", u.w.runID, n)},
			"samenvatting":  {"Samen groente kweken op het braakliggende veldje achter de school."},
			"beschrijving":  {"Wie helpt mee met zaaien, wieden en oogsten? Iedereen is welkom, ook zonder ervaring."},
			"gemeente":      {u.w.fx.municipality},
			"buurt":         {pick(u.rnd, u.w.fx.neighbourhoods)},
			"thema":         {pick(u.rnd, u.w.fx.themes)},
			"vorm":          {"informal"},
			"status":        {string(initiative.Idea)},
			"contact":       {"platform"},
			"zichtbaarheid": {"public"},
			"behoefte":      {"vrijwilligers"},
			"sleutel":       {key},
		}
	}
	u.w.ledger.attempt(retry)
	r := u.do("POST /initiatieven/nieuw", http.MethodPost, "/initiatieven/nieuw", form, func(r response) string {
		if !reInitURL.MatchString(r.location) {
			return "redirected to " + r.location
		}
		return ""
	}, http.StatusSeeOther)
	if r.out == outOK {
		u.w.ledger.ackInitiative(form.Get("sleutel"), form.Get("titel"))
		u.pendingInit = nil
		return
	}
	u.pendingInit = form
}

// logContact opens the quick-log form and saves a street contact, or
// resubmits the one that was not acknowledged before.
func (u *user) logContact() {
	retry := u.pendingContact != nil
	form := u.pendingContact
	if form == nil {
		r := u.get("GET /contacten/nieuw", "/contacten/nieuw")
		if r.out != outOK {
			return
		}
		id := uuid.New()
		if m := reClientID.FindStringSubmatch(r.body); m != nil {
			id = m[1]
		}
		form = url.Values{
			"client_id":     {id},
			"neighbourhood": {pick(u.rnd, u.w.workAreas())},
			"place_type":    {string(pick(u.rnd, contact.PlaceTypes))},
			"strategy":      {string(pick(u.rnd, strategy.All).Code)},
			"people_count":  {strconv.Itoa(1 + u.rnd.IntN(4))},
			"themes":        {pick(u.rnd, u.w.fx.themes)},
			"energy":        {"Wil graag een straatfeest organiseren."},
			"follow_up":     {"geen"},
		}
		if u.rnd.IntN(5) == 0 {
			form.Set(viaSync, "1")
		}
	}
	u.w.ledger.attempt(retry)
	var r response
	if form.Get(viaSync) != "" {
		// The offline queue of the quick-log page sends the same fields as
		// JSON: 201 the first time, 200 when the client_id was stored already.
		r = u.do("POST /contacten/sync (JSON)", http.MethodPost, "/contacten/sync", syncBody(form), func(r response) string {
			if !strings.Contains(r.body, `"client_id":"`+form.Get("client_id")+`"`) {
				return "answer without the contact's client_id"
			}
			return ""
		}, http.StatusCreated, http.StatusOK)
	} else {
		r = u.do("POST /contacten", http.MethodPost, "/contacten", form, func(r response) string {
			// Back to the quick log, opened at its confirmation.
			if path, _, _ := strings.Cut(r.location, "#"); path != "/contacten/nieuw" {
				return "redirected to " + r.location
			}
			return ""
		}, http.StatusSeeOther)
	}
	if r.out == outOK {
		u.w.ledger.ackContact(form.Get("client_id"))
		u.pendingContact = nil
		return
	}
	u.pendingContact = form
}

// viaSync marks a contact form that goes through the offline queue's JSON
// endpoint instead of the form post; it is not sent.
const viaSync = "_sync"

// syncBody is the JSON the offline queue sends for the form's fields.
func syncBody(form url.Values) []byte {
	b, _ := json.Marshal(map[string]any{
		"client_id": form.Get("client_id"), "neighbourhood": form.Get("neighbourhood"),
		"place_type": form.Get("place_type"), "strategy": form.Get("strategy"),
		"people_count": form.Get("people_count"), "themes": form["themes"],
		"energy": form.Get("energy"), "follow_up": form.Get("follow_up"),
	})
	return b
}

// workAreas are the neighbourhood codes every simulated worker may log in.
func (w *workload) workAreas() []string { return w.fx.workAreas }
