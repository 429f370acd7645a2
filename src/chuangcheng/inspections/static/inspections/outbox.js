/* outbox.js — inspections waiting to be uploaded, kept in the browser (IndexedDB).
 *
 * A submission is stored first and sent second, so nothing is lost when the network drops:
 *   ccOutbox.put(record)  store {client_id, url, fields, items, photos: [{blob, name}]}
 *   ccOutbox.flush()      send every stored record; resolves with {sent, refused, offline, login}
 * Records are sent on page load, when the browser says it is online again, every 30 s, and
 * after each put. The server recognises a record sent twice by its client_id and stores it once.
 * The script also registers the service worker that keeps the phone pages for offline use.
 */
(function () {
  "use strict";
  var DB = "chuangcheng-field", STORE = "outbox", RETRY_MS = 30000;
  var script = document.currentScript;
  var labels = {};
  try { labels = JSON.parse(document.getElementById("field-labels").textContent); } catch (e) { /* no labels */ }

  function fmt(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(record) { return tx("readwrite", function (s) { s.put(record); }).then(changed); }
  function remove(id) { return tx("readwrite", function (s) { s["delete"](id); }).then(changed); }

  function csrf() {
    // The CSRF cookie is HttpOnly: the token comes from the page (base.html puts it on <body>).
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) { /* fall back to a form's field */ }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function body(record) {
    var form = new FormData();
    Object.keys(record.fields).forEach(function (k) {
      if (record.fields[k] !== null && record.fields[k] !== undefined) form.append(k, record.fields[k]);
    });
    form.append("items", JSON.stringify(record.items));
    record.photos.forEach(function (p) { form.append("photos", p.blob, p.name); });
    return form;
  }

  function errorText(data) {
    if (!data) return "";
    var parts = (data.errors || []).map(function (e) { return e.msg; });
    return parts.length ? parts.join(" ") : (data.detail || "");
  }

  function send(record) {
    return fetch(record.url, {
      method: "POST", body: body(record), credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  var running = null;
  function flush() {
    // A flush already under way may have read the store before the newest record arrived.
    if (running) return running.then(flush, flush);
    running = all().then(function (records) {
      var outcome = { sent: [], refused: [], offline: false, login: false };
      var queue = records.filter(function (r) { return !r.error; });
      function next() {
        var record = queue.shift();
        if (!record) return outcome;
        return send(record).then(function (res) {
          if (res.status === 200 || res.status === 201) {
            outcome.sent.push({ record: record, data: res.data });
            markDone(record.fields.round_point);
            return remove(record.client_id).then(next);
          }
          if (res.status === 401) {
            outcome.login = true;
            return outcome;
          }
          record.error = errorText(res.data) || String(res.status);
          record.status = res.status;
          outcome.refused.push(record);
          return put(record).then(next);
        }, function () {
          outcome.offline = true;  // fetch rejects only when no answer came: keep for later
          return outcome;
        });
      }
      return next();
    }).then(function (outcome) {
      running = null;
      document.dispatchEvent(new CustomEvent("cc-outbox", { detail: outcome }));
      return outcome;
    }, function (err) {
      running = null;
      throw err;
    });
    return running;
  }

  /* Round points uploaded from this phone, so cached pages can show them as done. */
  function doneSet() {
    try { return JSON.parse(localStorage.getItem("cc-field-done") || "[]"); } catch (e) { return []; }
  }
  function markDone(id) {
    var done = doneSet();
    if (done.indexOf(+id) < 0) done.push(+id);
    localStorage.setItem("cc-field-done", JSON.stringify(done.slice(-500)));
  }

  function changed() {
    return all().then(function (records) {
      var box = document.querySelector("[data-outbox]");
      var waiting = records.filter(function (r) { return !r.error; });
      if (box) {
        box.hidden = waiting.length === 0;
        box.querySelector("[data-outbox-count]").textContent = fmt(labels.pending, { n: waiting.length });
      }
      renderErrors(records.filter(function (r) { return r.error; }));
      document.dispatchEvent(new CustomEvent("cc-outbox-change", { detail: records }));
      return records;
    });
  }

  function renderErrors(records) {
    var holder = document.querySelector("[data-outbox-errors]");
    if (!holder) return;
    holder.textContent = "";
    records.forEach(function (r) {
      var div = document.createElement("div");
      div.className = "msg msg-error";
      div.textContent = (r.title ? r.title + ": " : "") + (labels.refused || "") + " " + r.error + " ";
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-sm";
      btn.textContent = labels.discard || "Discard";
      btn.addEventListener("click", function () {
        if (window.confirm(labels.confirmDiscard || "?")) remove(r.client_id);
      });
      div.appendChild(btn);
      holder.appendChild(div);
    });
  }

  function loginNotice(outcome) {
    var holder = document.querySelector("[data-outbox-errors]");
    if (!holder || !outcome.login || holder.querySelector(".cc-login")) return;
    var div = document.createElement("div");
    div.className = "msg msg-warning cc-login";
    var a = document.createElement("a");
    a.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname);
    a.textContent = labels.login || "Log in again";
    div.appendChild(a);
    holder.appendChild(div);
  }

  window.ccOutbox = {
    put: put, all: all, remove: remove, flush: flush, changed: changed, doneSet: doneSet, labels: labels,
    fmt: fmt,
  };

  document.addEventListener("cc-outbox", function (e) { changed(); loginNotice(e.detail); });
  window.addEventListener("online", function () { flush(); });
  // Pages kept for offline use belong to whoever is logged in: forget them at log-out. (Records
  // waiting to upload stay: they are sent, and checked, under the next login.)
  document.addEventListener("submit", function (e) {
    var action = e.target && e.target.getAttribute("action") || "";
    if (/\/accounts\/logout\/?$/.test(action) && window.caches) caches["delete"]("cc-field-pages");
  });
  setInterval(function () { if (navigator.onLine !== false) flush(); }, RETRY_MS);
  document.addEventListener("DOMContentLoaded", function () {
    var send = document.querySelector("[data-outbox-send]");
    if (send) send.addEventListener("click", function () { flush(); });
  });
  changed().then(function () { flush(); });

  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    navigator.serviceWorker.register(script.dataset.sw, { scope: script.dataset.scope.replace(/field\/$/, "") })
      .catch(function () { /* pages still work online without it */ });
  }
})();
