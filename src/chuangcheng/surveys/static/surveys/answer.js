/* answer.js — the survey answering form (public link and interviewers).
 *
 * 1. svSkip.evaluate(tree, answers): the skip-logic evaluator, the same rules as
 *    chuangcheng.surveys.domain.expressions.evaluate on the tree as_tree() gives
 *    (XPath 1.0 as ODK Collect and Enketo: numbers compare as numbers, "" is unanswered,
 *    < > are false against an unanswered side, selected() / count-selected()).
 * 2. On a page with form[data-sv-form]: questions are shown or hidden as answers change (a hidden
 *    question counts as unanswered for the ones after it, as on the server); answers are kept in
 *    localStorage as they are typed, so a reload or a dropped connection loses nothing; submit
 *    goes by fetch and, offline, waits and retries, saying so; the server's messages are put
 *    next to their questions. Interviewers' forms also take the phone's position.
 */
(function (root) {
  "use strict";

  // --- the evaluator -------------------------------------------------------------------------
  var NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

  function isNumber(v) {
    if (typeof v === "boolean") return false;
    return typeof v === "number" || NUMBER.test(String(v).trim());
  }
  function truth(v) {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0;
    return v !== "";
  }
  function text(v) {
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") {
      if (Number.isInteger(v)) return typeof BigInt === "function" ? BigInt(v).toString() : String(v);
      return String(v);
    }
    return v;
  }
  function words(v) {
    var t = text(v).trim();
    return t ? t.split(/\s+/) : [];
  }
  // Strings compare by code point, as Python does (JS compares UTF-16 units).
  function codeCompare(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d < 0 ? -1 : 1;
    }
    return x.length === y.length ? 0 : (x.length < y.length ? -1 : 1);
  }
  function relate(op, a, b) {
    var c = typeof a === "number" ? (a < b ? -1 : (a > b ? 1 : (a === b ? 0 : NaN))) : codeCompare(a, b);
    switch (op) {
      case "=": return typeof a === "number" ? a === b : a === b;
      case "!=": return typeof a === "number" ? a !== b : a !== b;
      case ">": return c > 0;
      case ">=": return c >= 0;
      case "<": return c < 0;
      case "<=": return c <= 0;
    }
    throw new Error("unknown operator " + op);
  }
  function compare(op, left, right) {
    if (typeof left === "boolean" || typeof right === "boolean") {
      if (op === "=" || op === "!=") return (truth(left) === truth(right)) === (op === "=");
      return compare(op, typeof left === "boolean" ? Number(left) : left,
        typeof right === "boolean" ? Number(right) : right);
    }
    if (isNumber(left) && isNumber(right)) return relate(op, Number(String(left).trim()), Number(String(right).trim()));
    if (op !== "=" && op !== "!=" && (left === "" || right === "")) return false;
    return relate(op, text(left), text(right));
  }
  function value(node, answers) {
    var kind = node[0];
    switch (kind) {
      case "ref": { var a = answers[node[1]]; return a === undefined || a === null ? "" : String(a); }
      case "str": return node[1];
      case "num": return Number(node[1]);
      case "and": return truth(value(node[1], answers)) && truth(value(node[2], answers));
      case "or": return truth(value(node[1], answers)) || truth(value(node[2], answers));
      case "not": return !truth(value(node[1], answers));
      case "selected": return words(value(node[1], answers)).indexOf(text(value(node[2], answers)).trim()) >= 0;
      case "count-selected": return words(value(node[1], answers)).length;
      default: return compare(kind, value(node[1], answers), value(node[2], answers));
    }
  }
  var svSkip = { evaluate: function (tree, answers) { return truth(value(tree, answers || {})); } };
  root.svSkip = svSkip;
  if (typeof module !== "undefined" && module.exports) module.exports = svSkip;
  if (typeof document === "undefined") return;

  // --- the form ------------------------------------------------------------------------------
  var form = document.querySelector("form[data-sv-form]");
  if (!form) return;
  var texts = {};
  try { texts = JSON.parse(document.getElementById("sv-texts").textContent); } catch (e) { texts = {}; }
  var trees = {};
  try { trees = JSON.parse(document.getElementById("sv-skip").textContent); } catch (e) { trees = {}; }
  var status = form.querySelector(".sv-status");
  var key = form.getAttribute("data-draft-key");
  var RETRY_MS = 15000;
  var retryTimer = null, sending = false;

  function say(message, kind) {
    if (!status) return;
    status.textContent = message || "";
    status.className = "sv-status" + (kind ? " sv-status-" + kind : "");
  }
  function questions() { return Array.prototype.slice.call(form.querySelectorAll("[data-q]")); }
  function inputs(q) { return Array.prototype.slice.call(q.querySelectorAll("input, textarea, select")); }
  function answerOf(q) {
    var kind = q.getAttribute("data-kind");
    var els = inputs(q);
    if (kind === "multiple") return els.filter(function (e) { return e.checked; }).map(function (e) { return e.value; }).join(" ");
    if (kind === "single" || kind === "rating") {
      var on = els.filter(function (e) { return e.checked; })[0];
      return on ? on.value : "";
    }
    if (!els.length) return "";
    var v = els[0].value.trim();
    return kind === "decimal" ? v.replace(",", ".") : v;
  }

  function refresh() {
    var seen = {};
    questions().forEach(function (q) {
      var name = q.getAttribute("data-q");
      var tree = trees[name];
      var shown = !tree || svSkip.evaluate(tree, seen);
      q.hidden = !shown;
      inputs(q).forEach(function (e) { e.disabled = !shown; });
      seen[name] = shown ? answerOf(q) : "";
    });
    form.querySelectorAll("[data-group]").forEach(function (h) {
      var group = h.getAttribute("data-group");
      var any = questions().some(function (q) { return q.getAttribute("data-in-group") === group && !q.hidden; });
      h.hidden = !any;
    });
  }

  // Drafts: every field of the form, kept under the form's key.
  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || e.type === "hidden" || e.type === "submit" || e.type === "file") return;
      if (e.type === "checkbox" || e.type === "radio") {
        if (!data[e.name]) data[e.name] = [];
        if (e.checked) data[e.name].push(e.value);
      } else {
        data[e.name] = e.value;
      }
    });
    return data;
  }
  function store() {
    if (!key) return;
    try { localStorage.setItem(key, JSON.stringify(collect())); } catch (e) { /* storage full or off */ }
  }
  function restore() {
    if (!key || form.hasAttribute("data-server-values")) return false;
    var data = null;
    try { data = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { data = null; }
    if (!data) return false;
    var any = false;
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || !(e.name in data) || e.type === "hidden") return;
      var v = data[e.name];
      if (e.type === "checkbox" || e.type === "radio") {
        e.checked = Array.isArray(v) && v.indexOf(e.value) >= 0;
        any = any || e.checked;
      } else if (typeof v === "string") {
        e.value = v;
        any = any || v !== "";
      }
    });
    return any;
  }
  function forget() { if (key) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } } }

  function showErrors(errors) {
    form.querySelectorAll(".sv-err").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll(".sv-invalid").forEach(function (q) { q.classList.remove("sv-invalid"); });
    var first = null;
    Object.keys(errors || {}).forEach(function (name) {
      var slot = form.querySelector('[data-err="' + name + '"]');
      if (!slot) return;
      slot.textContent = errors[name];
      var box = slot.closest("[data-q], .sv-field");
      if (box) box.classList.add("sv-invalid");
      first = first || box || slot;
    });
    if (first) first.scrollIntoView({ block: "center" });
    return !!first;
  }

  function missing() {
    var errors = {};
    questions().forEach(function (q) {
      if (q.hidden || q.getAttribute("data-required") !== "1") return;
      if (!answerOf(q)) errors[q.getAttribute("data-q")] = texts.required;
    });
    return errors;
  }

  // Position (interviewers): asked once on load and kept in the hidden fields.
  function locate() {
    if (form.getAttribute("data-geo") !== "1") return;
    var where = form.querySelector(".sv-geo");
    function note(t) { if (where) where.textContent = t; }
    if (!navigator.geolocation) { note(texts.noGeo); return; }
    note(texts.locating);
    navigator.geolocation.getCurrentPosition(function (p) {
      form.elements.lat.value = p.coords.latitude.toFixed(6);
      form.elements.lng.value = p.coords.longitude.toFixed(6);
      form.elements.accuracy.value = Math.round(p.coords.accuracy);
      note((texts.located || "%s").replace("%s", Math.round(p.coords.accuracy)));
    }, function () { note(texts.noGeo); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  function send() {
    if (sending) return;
    sending = true;
    clearTimeout(retryTimer);
    say(texts.sending, "busy");
    var body = new FormData(form);
    var button = form.querySelector("button[type=submit][data-clicked]");
    if (button && button.name) body.append(button.name, button.value);
    // form.getAttribute: a field named "action" would shadow form.action.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (r) {
      var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) return { status: r.status, data: null };
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    }).then(function (res) {
      sending = false;
      var data = res.data;
      if (!data) {
        // The server answered but not with the form's JSON: busy or broken (5xx: try again
        // later), or the page is stale (4xx: reloading shows why). The draft is kept.
        if (res.status >= 500) { say(texts.offline, "offline"); retryTimer = setTimeout(send, RETRY_MS); }
        else say((texts.failed || "%s").replace("%s", res.status), "error");
        return;
      }
      if (data.redirect) {
        if (!data.keep) forget();
        window.location.assign(data.redirect);
        return;
      }
      if (data.errors) {
        say(texts.fix, "error");
        showErrors(data.errors);
      }
    }).catch(function () {
      // No answer at all: offline or the server unreachable. Keep the draft, try again.
      sending = false;
      say(texts.offline, "offline");
      retryTimer = setTimeout(send, RETRY_MS);
    });
  }

  form.addEventListener("input", function () { refresh(); store(); });
  form.addEventListener("change", function () { refresh(); store(); });
  form.addEventListener("click", function (e) {
    var b = e.target.closest("button[type=submit]");
    if (!b) return;
    form.querySelectorAll("button[data-clicked]").forEach(function (x) { x.removeAttribute("data-clicked"); });
    b.setAttribute("data-clicked", "1");
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    refresh();
    store();
    var button = form.querySelector("button[type=submit][data-clicked]");
    var draft = button && button.value === "draft";
    if (!draft && form.hasAttribute("data-check-required") && showErrors(missing())) {
      say(texts.fix, "error");
      return;
    }
    if (!navigator.onLine) {
      say(texts.offline, "offline");
      retryTimer = setTimeout(send, RETRY_MS);
      return;
    }
    send();
  });
  window.addEventListener("online", function () { if (retryTimer) { clearTimeout(retryTimer); send(); } });

  var restored = restore();
  refresh();
  locate();
  if (restored) say(texts.restored, "ok");
})(typeof window !== "undefined" ? window : globalThis);
