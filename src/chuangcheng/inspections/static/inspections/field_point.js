/* field_point.js — the checklist of one point on the phone.
 *
 * Each item: 符合 / 不符合 / 不适用 (radio buttons drawn as large buttons); 不符合 opens the camera
 * input and a note. "Mark the rest compliant" fills every unmarked item. Submitting stores the
 * inspection in the outbox (IndexedDB, photos as Blobs) under a new client_id, then uploads it.
 * The position (with its accuracy) and the time are taken on the phone.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("field-config").textContent);
  var L = config.labels;
  var form = document.getElementById("inspect");
  if (!form) return;
  var photos = {};  // clause id → [{blob, name, url}]
  var position = null;
  var where = form.querySelector("[data-position]");
  var resultBox = form.querySelector("[data-outcome]");
  var submitBtn = form.querySelector("button[type=submit]");

  function items() { return Array.prototype.slice.call(form.querySelectorAll(".fd-item")); }
  function chosen(item) {
    var checked = item.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function refresh() {
    var open = 0;
    items().forEach(function (item) {
      var value = chosen(item);
      item.dataset.result = value;
      if (!value) open += 1;
    });
    var unmarked = form.querySelector("[data-unmarked]");
    if (unmarked) unmarked.textContent = open ? ccOutbox.fmt(L.unmarked, { n: open }) : "";
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function renderThumbs(item) {
    var id = item.dataset.clause;
    var holder = item.querySelector("[data-thumbs]");
    holder.textContent = "";
    (photos[id] || []).forEach(function (p, index) {
      var wrap = document.createElement("span");
      wrap.className = "fd-thumb";
      var img = document.createElement("img");
      img.src = p.url;
      img.alt = "";
      var x = document.createElement("button");
      x.type = "button";
      x.setAttribute("aria-label", L.remove);
      x.textContent = "×";
      x.addEventListener("click", function () {
        URL.revokeObjectURL(p.url);
        photos[id].splice(index, 1);
        renderThumbs(item);
      });
      wrap.appendChild(img);
      wrap.appendChild(x);
      holder.appendChild(wrap);
    });
  }

  form.addEventListener("change", function (e) {
    var input = e.target;
    var item = input.closest(".fd-item");
    if (input.matches("[data-photo]") && item) {
      var id = item.dataset.clause;
      photos[id] = photos[id] || [];
      Array.prototype.forEach.call(input.files, function (f) {
        photos[id].push({ blob: f, name: f.name || "photo.jpg", url: URL.createObjectURL(f) });
      });
      input.value = "";  // the same button takes the next photo
      renderThumbs(item);
    }
    refresh();
  });

  form.querySelector("[data-rest]").addEventListener("click", function () {
    items().forEach(function (item) {
      if (!chosen(item)) item.querySelector("input[value=pass]").checked = true;
    });
    refresh();
  });

  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(function (p) {
      position = p.coords;
      where.textContent = ccOutbox.fmt(L.position, { m: Math.round(p.coords.accuracy) });
      where.classList.add("ok");
    }, function () {
      where.textContent = L.noPosition;
    }, { enableHighAccuracy: true, maximumAge: 30000, timeout: 20000 });
  } else {
    where.textContent = L.noPosition;
  }

  function show(text, kind, back) {
    resultBox.textContent = text;
    resultBox.className = "fd-result msg msg-" + kind;
    if (back) {
      var a = document.createElement("a");
      a.href = config.roundUrl;
      a.className = "btn btn-sm";
      a.textContent = L.back;
      resultBox.appendChild(document.createTextNode(" "));
      resultBox.appendChild(a);
      resultBox.scrollIntoView({ block: "center" });
    }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var list = [];
    var files = [];
    items().forEach(function (item) {
      var value = chosen(item);
      if (!value) return;
      var id = item.dataset.clause;
      var indexes = [];
      if (value === "fail") {
        (photos[id] || []).forEach(function (p) { indexes.push(files.length); files.push({ blob: p.blob, name: p.name }); });
      }
      list.push({ clause: +id, result: value, note: value === "fail" ? item.querySelector("[data-note]").value : "", photos: indexes });
    });
    if (!list.length) { show(L.noItems, "error"); return; }
    var record = {
      client_id: uuid(),
      url: config.api,
      title: document.querySelector("h1").textContent,
      created: Date.now(),
      fields: {
        client_id: null, round_point: config.roundPoint, observed_at: new Date().toISOString(),
        lng: position ? position.longitude.toFixed(6) : null,
        lat: position ? position.latitude.toFixed(6) : null,
        accuracy: position ? Math.round(position.accuracy) : null,
        note: document.getElementById("point-note").value,
      },
      items: list,
      photos: files,
    };
    record.fields.client_id = record.client_id;
    submitBtn.disabled = true;
    show(L.sending, "warning");
    ccOutbox.put(record).then(function () {
      return ccOutbox.flush();
    }).then(function (outcome) {
      var mine = function (r) { return (r.record || r).client_id === record.client_id; };
      if (outcome.sent.some(mine)) {
        show(L.sent, "success");
        form.classList.add("fd-sent");
        setTimeout(function () { location.href = config.roundUrl; }, 800);
        return;
      }
      var refused = outcome.refused.filter(mine)[0];
      if (refused) {
        // Nothing was stored: take it out of the outbox and let the inspector correct it here.
        ccOutbox.remove(refused.client_id);
        show(L.refused + " " + refused.error, "error");
        submitBtn.disabled = false;
        return;
      }
      form.classList.add("fd-sent");
      show(outcome.login ? L.login : L.saved, "warning", true);
    }, function () {
      form.classList.add("fd-sent");
      show(L.saved, "warning", true);
    });
  });

  document.addEventListener("cc-outbox", function (e) {
    if (form.classList.contains("fd-sent") && e.detail.sent.length && !resultBox.classList.contains("msg-success")) {
      var still = false;
      ccOutbox.all().then(function (records) {
        still = records.some(function (r) { return r.fields.round_point === config.roundPoint && !r.error; });
        if (!still) show(L.sent, "success", true);
      });
    }
  });

  refresh();
})();
