// Quick-log page: save street contacts without a connection. Every contact
// is first written to IndexedDB under its client_id, then posted. When the
// post fails because the network is gone, it stays there ("waiting") and is
// sent to /contacten/sync as soon as the connection returns; a contact whose
// post did get through is confirmed by the same replay and removed. The
// server accepts each client_id once, so a replay that was interrupted and
// retried never duplicates. Without JavaScript the form is an ordinary POST.
(function () {
  "use strict";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/contacten/sw.js", { scope: "/contacten/" }).catch(function () {});
  }
  var form = document.querySelector("form[data-contact-form]");
  var status = document.getElementById("contact-wachtrij");
  if (!form || !status || !window.indexedDB || !window.fetch || !window.Promise) { return; }

  var FIELDS = ["client_id", "occurred_at", "neighbourhood", "place_type", "people_count", "strategy",
    "energy", "concern", "note", "follow_up", "initiative_id", "referral"];
  var DB_NAME = "buurtkracht-contacten";
  var STORE = "wachtrij";
  var refused = [];

  function openDB() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  // run opens a transaction, lets fn issue requests and resolves with the
  // result of the last request once the transaction has committed.
  function run(mode, fn) {
    return openDB().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var req = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function queued() { return run("readonly", function (s) { return s.getAll(); }); }
  function enqueue(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function dequeue(id) { return run("readwrite", function (s) { return s.delete(id); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function localNow() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + "T" + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function field(name) { return form.elements.namedItem(name); }

  // freshForm gives the form a new idempotency id and, on a fresh form, the
  // current moment (the page may come from the offline cache).
  function freshForm() {
    field("client_id").value = uuid();
    var moment = field("occurred_at");
    if (form.hasAttribute("data-fresh") && moment) { moment.value = localNow(); }
  }

  function show(n, note) {
    var parts = [];
    if (n > 0) { parts.push(n === 1 ? "1 contact wacht op verzending." : n + " contacten wachten op verzending."); }
    if (note) { parts.push(note); }
    refused.forEach(function (r) { parts.push(r); });
    status.textContent = parts.join(" ");
    status.hidden = parts.length === 0;
  }
  // Items still being posted by this page ("pending") are not shown as waiting.
  function refresh(note) {
    return queued().then(function (items) {
      show(items.filter(function (i) { return !i.pending; }).length, note);
      return items;
    });
  }

  function collect() {
    var fd = new FormData(form);
    var data = {};
    FIELDS.forEach(function (name) {
      if (field(name) !== null) { data[name] = fd.get(name) || ""; }
    });
    data.themes = fd.getAll("themes");
    if (!data.occurred_at) { data.occurred_at = localNow(); }
    return data;
  }

  function missingRequired(data) {
    return !data.neighbourhood || !data.place_type || !data.strategy;
  }

  function staleConfirmations() {
    Array.prototype.forEach.call(document.querySelectorAll(".bk-flash, .bk-undo"), function (el) { el.hidden = true; });
  }

  // saveOffline keeps the contact on this device and readies the form for
  // the next one, keeping neighbourhood and place as the last choice.
  function saveOffline(data) {
    if (missingRequired(data)) {
      return dequeue(data.client_id).then(function () {
        return refresh("Kies buurt, plek en wat het contact deed; dan bewaren we het op dit apparaat.");
      });
    }
    return enqueue({ client_id: data.client_id, data: data, queued_at: Date.now(), pending: false }).then(function () {
      form.reset();
      field("neighbourhood").value = data.neighbourhood;
      field("place_type").value = data.place_type;
      form.setAttribute("data-fresh", "");
      freshForm();
      staleConfirmations();
      return refresh("Geen verbinding: het contact is op dit apparaat bewaard.");
    });
  }

  var replaying = false;

  // replay sends queued contacts one by one. A contact leaves the queue only
  // after the server accepted it (2xx) or refused it for its content (4xx,
  // shown to the worker); on a network or server error it stays for later.
  function replay() {
    if (replaying) { return Promise.resolve(); }
    replaying = true;
    var sent = 0;
    function next(items) {
      if (items.length === 0) { return null; }
      var item = items[0];
      return fetch("/contacten/sync", {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(item.data)
      }).then(function (res) {
        if (res.status === 200 || res.status === 201) {
          if (!item.pending) { sent++; }
          return dequeue(item.client_id).then(function () { return next(items.slice(1)); });
        }
        if (res.status === 400 || res.status === 413 || res.status === 422) {
          return res.json().catch(function () { return {}; }).then(function (body) {
            var msgs = body && body.errors ? Object.keys(body.errors).map(function (k) { return body.errors[k]; }) : [body && body.error || ""];
            refused.push("Een contact is niet opgeslagen: " + msgs.join(" "));
            return dequeue(item.client_id).then(function () { return next(items.slice(1)); });
          });
        }
        return null; // logged out (a redirect to the login page) or server trouble: keep the rest for later
      });
    }
    return queued()
      .then(function (items) {
        items.sort(function (a, b) { return a.queued_at - b.queued_at; });
        return next(items);
      })
      .catch(function () { /* still offline */ })
      .then(function () {
        replaying = false;
        return refresh(sent > 0 ? (sent === 1 ? "1 bewaard contact is verzonden." : sent + " bewaarde contacten zijn verzonden.") : "");
      });
  }

  form.addEventListener("submit", function (ev) {
    if (form.getAttribute("data-native") === "1") { return; }
    ev.preventDefault();
    if (form.dataset.busy === "1") { return; }
    form.dataset.busy = "1";
    var data = collect();
    var body = new URLSearchParams(new FormData(form));
    // Written ahead: if the answer is a redirect to the login page (session
    // ended), the next visit still sends this contact.
    enqueue({ client_id: data.client_id, data: data, queued_at: Date.now(), pending: true })
      .then(function () {
        return fetch(form.action, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
          .then(function (res) {
            if (res.type === "opaqueredirect") {
              window.location.assign("/contacten/nieuw");
              return;
            }
            // A refusal (422) or another answer: nothing was stored. Let the
            // browser post the form itself so the page with the errors shows.
            return dequeue(data.client_id).then(function () {
              form.setAttribute("data-native", "1");
              HTMLFormElement.prototype.submit.call(form);
            });
          }, function () { return saveOffline(data); });
      })
      .catch(function () {
        // IndexedDB unavailable (private mode): post the form the ordinary way.
        form.setAttribute("data-native", "1");
        HTMLFormElement.prototype.submit.call(form);
      })
      .then(function () { form.dataset.busy = ""; });
  });

  window.addEventListener("online", replay);
  window.setInterval(function () { if (navigator.onLine !== false) { replay(); } }, 30000);

  freshForm();
  // The contact this page confirms (with its undo button) arrived: it must
  // not be replayed, or an undo could be followed by a resend.
  var saved = document.querySelector(".bk-undo[data-client-id]");
  // Open at the confirmation, with the form for the next contact under it
  // (the server's redirect does this with #opgeslagen without JavaScript).
  if (saved && !window.location.hash) { saved.scrollIntoView(); }
  (saved ? dequeue(saved.getAttribute("data-client-id")) : Promise.resolve())
    .catch(function () {})
    .then(function () { return refresh(""); })
    .then(function (items) { if (items.length > 0 && navigator.onLine !== false) { replay(); } });
  if (navigator.onLine === false) { staleConfirmations(); }
  // Exposed for the browser test: run a replay now and wait for it.
  window.bkReplayContacts = replay;
})();
