package message_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/message"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// A member writes to a community worker from the page of a neighbourhood
// the worker works in; a worker of another area cannot be reached that way.
func TestWorkerConversation(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	lombok := testkit.NewGeo(t, s.DB).Neighbourhood("BU03440112", "Lombok")
	wendy := s.CreateUser(t, "wendy@example.nl", role.Resident, role.Worker)
	karel := s.CreateUser(t, "karel@example.nl", role.Resident, role.Worker)
	exec(t, s, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2), ($3, $4)`, wendy.ID, w.nb, karel.ID, lombok)
	// Eva has a work area on record but is no worker: not reachable as one.
	exec(t, s, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, w.eva.ID, w.nb)
	hans := s.Login(t, "hans@example.nl")

	path := message.WorkerStartPath(wendy.ID, w.nb)
	form := hans.Get(path)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("start form: %d\n%s", form.StatusCode, form.Body)
	}
	mustContain(t, "worker form", form.Body, "<dd>wendy</dd>", "Opbouwwerk: Oog in Al", `name="buurt" value="`+strconv.FormatInt(w.nb, 10)+`"`)
	send := func(c *testkit.Client, worker, area int64, key, body string) testkit.Response {
		return c.PostForm("/berichten/nieuw", url.Values{"over": {"opbouwwerker"}, "id": {strconv.FormatInt(worker, 10)},
			"buurt": {strconv.FormatInt(area, 10)}, "sleutel": {key}, "bericht": {body}})
	}
	res := send(hans, wendy.ID, w.nb, key(t, form), "Wij willen een buurtmoestuin beginnen.")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", res.StatusCode, res.Body)
	}
	conv := convID(t, res.Location())
	if n := scalar(t, s, `SELECT count(*) FROM conversations WHERE id = $1 AND subject_kind = 'opbouwwerker' AND worker_id = $2 AND party_id = $3`,
		conv, wendy.ID, w.hans.ID); n != 1 {
		t.Error("conversation not stored with the worker and the member")
	}
	if n := scalar(t, s, `SELECT count(*) FROM conversation_participants WHERE conversation_id = $1 AND account_id = ANY($2)`,
		conv, []int64{wendy.ID, w.hans.ID}); n != 2 || scalar(t, s, `SELECT count(*) FROM conversation_participants WHERE conversation_id = $1`, conv) != 2 {
		t.Error("participants are not exactly the member and the worker")
	}
	wendyC := s.Login(t, "wendy@example.nl")
	mustContain(t, "Wendy's list", wendyC.Get("/berichten").Body, "Opbouwwerk: Oog in Al", "Met hans")
	if n := scalar(t, s, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND link = $2`, wendy.ID, res.Location()); n != 1 {
		t.Errorf("Wendy has %d notifications of it, want 1", n)
	}
	// A second start goes to the same conversation.
	again := send(hans, wendy.ID, w.nb, key(t, hans.Get(path)), "En nog iets.")
	if again.StatusCode != http.StatusSeeOther || convID(t, again.Location()) != conv {
		t.Errorf("second start: %d %s", again.StatusCode, again.Location())
	}

	// Karel works in Lombok, not in Oog in Al; Eva is no worker; no area, a
	// missing area or an unknown worker: 404, on the form and on the POST.
	for _, p := range []string{message.WorkerStartPath(karel.ID, w.nb), message.WorkerStartPath(w.eva.ID, w.nb),
		message.WorkerStartPath(wendy.ID, lombok), "/berichten/nieuw?over=opbouwwerker&id=" + strconv.FormatInt(wendy.ID, 10),
		message.WorkerStartPath(987654, w.nb)} {
		if res := hans.Get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	if res := send(hans, karel.ID, w.nb, "0b7e3c1a-2d4f-4a6b-8c9d-1e2f3a4b5c6d", "Hallo Karel"); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST to a worker of another area: %d, want 404", res.StatusCode)
	}
	if n := scalar(t, s, `SELECT count(*) FROM conversations WHERE worker_id = $1`, karel.ID); n != 0 {
		t.Error("a conversation with a worker of another area was made")
	}
	// From Lombok's page Karel can be reached.
	if res := send(hans, karel.ID, lombok, key(t, hans.Get(message.WorkerStartPath(karel.ID, lombok))), "Hallo Karel"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST to Karel from Lombok: %d", res.StatusCode)
	}

	// The worker herself: no form.
	own := wendyC.Get(path)
	if own.StatusCode != http.StatusOK || !strings.Contains(own.Body, "Je bent zelf opbouwwerker in deze buurt") || strings.Contains(own.Body, `name="bericht"`) {
		t.Errorf("own worker page: %d", own.StatusCode)
	}
	// A suspended worker cannot be reached any more.
	exec(t, s, `UPDATE accounts SET suspended_at = now(), suspended_reason = 'Test' WHERE id = $1`, wendy.ID)
	if res := hans.Get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("suspended worker: %d, want 404", res.StatusCode)
	}
}
