/* report.js — the 随手拍 form, the hotline form and the answer page.
 *
 * - Position: "use my position" (navigator.geolocation) or a tap on the map; stored WGS-84.
 * - Category: class → subclass pickers, pre-filled by the suggestion for the text typed so far
 *   until the user picks one themselves.
 * - Nothing typed is lost: the fields go to localStorage and the chosen photos to IndexedDB on
 *   every change; an unsent draft comes back when the page is opened again, and the answer page
 *   (data-clear-draft) forgets it. With no network the form is not sent, the draft stays.
 */
(function () {
  "use strict";

  var done = document.getElementById("report-done");
  if (done) { clearDraft(done.getAttribute("data-clear-draft")); return; }

  var form = document.getElementById("report-form") || document.getElementById("hotline-form");
  if (!form) return;
  var T = readJSON("report-text") || {};
  var key = form.getAttribute("data-draft-key");
  var fields = ["description", "category", "address", "point", "lng", "lat"];

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }
  function field(name) { return form.elements.namedItem(name); }
  function text(name, value) { return (T[name] || "").replace("%s", value === undefined ? "" : value); }
  function say(id, message) { var el = document.getElementById(id); if (el) el.textContent = message; }

  /* ---- map and position ------------------------------------------------------------------ */
  var map = null, marker = null;
  var mapEl = document.getElementById("report-map");
  var config = readJSON("map-config") || {};
  if (mapEl && window.ccMap && window.L) {
    map = ccMap.create(mapEl, config);
    if (config.outline) {
      ccMap.geoJSON(config.outline, { style: { color: "#52606d", weight: 1.5, dashArray: "6 5", fill: false }, interactive: false }).addTo(map);
    }
    map.on("click", function (e) {
      var ll = toWgs(e.latlng);
      setPosition(ll[0], ll[1]);
      clearPoint();
      say("locate-status", text("picked"));
    });
  }
  function toWgs(latlng) {
    // Taps arrive in the base map's datum; GCJ-02 (高德) is shifted back by one fixed-point step.
    var lng = latlng.lng, lat = latlng.lat;
    if (ccMap.datum === "gcj02") {
      var g = ccMap.wgs84ToGcj02(lng, lat);
      lng = lng - (g[0] - lng); lat = lat - (g[1] - lat);
    }
    return [lng, lat];
  }
  function setPosition(lng, lat, zoom) {
    field("lng").value = (+lng).toFixed(6);
    field("lat").value = (+lat).toFixed(6);
    showMarker(zoom);
    saveDraft();
  }
  function showMarker(zoom) {
    if (!map || !field("lng") || !field("lng").value) return;
    var at = ccMap.latLng([field("lng").value, field("lat").value]);
    if (!marker) {
      marker = L.circleMarker(at, { radius: 9, weight: 3, color: "#fff", fillColor: "#c8102e", fillOpacity: 1 }).addTo(map);
    } else { marker.setLatLng(at); }
    map.setView(at, zoom || Math.max(map.getZoom(), 16));
  }
  function locate() {
    if (!navigator.geolocation) { say("locate-status", text("noGps")); return; }
    say("locate-status", text("locating"));
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPosition(pos.coords.longitude, pos.coords.latitude, 17);
      say("locate-status", text("located", Math.round(pos.coords.accuracy || 0)));
    }, function () { say("locate-status", text("noGps")); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  var locateBtn = document.getElementById("locate");
  if (locateBtn) locateBtn.addEventListener("click", locate);

  /* ---- the point from a QR code ------------------------------------------------------------ */
  var pointMarker = null;
  function showPoint() {
    var box = document.getElementById("point-box");
    if (!map || !box || box.hidden || !box.getAttribute("data-lng")) return false;
    var at = ccMap.latLng([box.getAttribute("data-lng"), box.getAttribute("data-lat")]);
    pointMarker = L.circleMarker(at, { radius: 9, weight: 3, color: "#fff", fillColor: "#1f6feb", fillOpacity: 1 })
      .bindTooltip(document.getElementById("point-name").textContent, { permanent: true, direction: "top", offset: [0, -8] })
      .addTo(map);
    map.setView(at, 16);
    return true;
  }
  function clearPoint() {
    var box = document.getElementById("point-box");
    if (field("point")) field("point").value = "";
    if (box) box.hidden = true;
    if (pointMarker) { map.removeLayer(pointMarker); pointMarker = null; }
  }
  var pointClear = document.getElementById("point-clear");
  if (pointClear) pointClear.addEventListener("click", function () { clearPoint(); saveDraft(); locate(); });

  /* ---- category pickers and suggestion ----------------------------------------------------- */
  var classSel = document.getElementById("category-class");
  var subSel = field("category");
  var allGroups = subSel ? Array.prototype.slice.call(subSel.querySelectorAll("optgroup")) : [];
  var autoPicked = subSel && !subSel.value;
  function showClass(id) {
    // Rebuild rather than hide: hidden <option>s still show on some phones.
    var keep = subSel.value;
    allGroups.forEach(function (g) { if (g.parentNode) g.parentNode.removeChild(g); });
    allGroups.forEach(function (g) {
      if (!id || g.getAttribute("data-class") === id) subSel.appendChild(g);
    });
    subSel.value = keep;
    if (subSel.value !== keep) subSel.value = "";
  }
  function syncClass() {
    var opt = subSel.options[subSel.selectedIndex];
    if (opt && opt.getAttribute("data-class")) classSel.value = opt.getAttribute("data-class");
  }
  if (classSel && subSel) {
    syncClass();
    if (classSel.value) showClass(classSel.value);
    classSel.addEventListener("change", function () { autoPicked = false; showClass(classSel.value); saveDraft(); });
    subSel.addEventListener("change", function () { autoPicked = false; syncClass(); });
  }
  var desc = field("description");
  var suggestUrl = form.getAttribute("data-suggest-url");
  var timer = null;
  function askSuggestion() {
    var words = desc.value.trim();
    if (words.length < 2 || !suggestUrl) return;
    var url = suggestUrl + "?text=" + encodeURIComponent(words) + (field("point") && field("point").value ? "&point=" + encodeURIComponent(field("point").value) : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var box = document.getElementById("suggestion");
        if (!data || !data.category) { if (box) box.hidden = true; return; }
        if (box) { box.textContent = text("suggested", data.category.name); box.hidden = false; }
        if (autoPicked && classSel && subSel) {
          classSel.value = String(data.category.classId);
          showClass(classSel.value);
          subSel.value = String(data.category.id);
          saveDraft();
        }
      })
      .catch(function () { /* offline: the suggestion is only a help */ });
  }
  if (desc) desc.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(askSuggestion, 400); });

  /* ---- photos ------------------------------------------------------------------------------ */
  var input = document.getElementById("id_photos");
  var previews = document.getElementById("photo-previews");
  var chosen = [];
  var maxPhotos = +(form.getAttribute("data-max-photos") || 6);
  function pendingCount() { return form.querySelectorAll("input[name=pending]:checked").length; }
  function syncInput() {
    if (!input || typeof DataTransfer === "undefined") return;
    var dt = new DataTransfer();
    chosen.forEach(function (f) { dt.items.add(f); });
    input.files = dt.files;
  }
  function renderPreviews() {
    Array.prototype.slice.call(previews.querySelectorAll(".rp-new")).forEach(function (n) { n.remove(); });
    chosen.forEach(function (f, i) {
      var box = document.createElement("div");
      box.className = "rp-thumb rp-new";
      var img = document.createElement("img");
      img.alt = f.name;
      img.src = URL.createObjectURL(f);
      var rm = document.createElement("button");
      rm.type = "button"; rm.className = "rp-remove"; rm.textContent = "×"; rm.setAttribute("aria-label", text("remove") + " " + f.name);
      rm.addEventListener("click", function () { chosen.splice(i, 1); syncInput(); renderPreviews(); saveFiles(); });
      box.appendChild(img); box.appendChild(rm);
      previews.appendChild(box);
    });
  }
  function addFiles(files) {
    for (var i = 0; i < files.length; i++) {
      if (chosen.length + pendingCount() >= maxPhotos) { say("draft-status", text("tooMany", maxPhotos)); break; }
      chosen.push(files[i]);
    }
    syncInput(); renderPreviews(); saveFiles();
  }
  if (input && previews) {
    input.addEventListener("change", function () {
      var fresh = Array.prototype.slice.call(input.files || []);
      // A second pick replaces input.files; keep the earlier photos as well.
      var known = chosen.map(function (f) { return f.name + f.size + f.lastModified; });
      addFiles(fresh.filter(function (f) { return known.indexOf(f.name + f.size + f.lastModified) < 0; }));
    });
  }

  /* ---- the draft --------------------------------------------------------------------------- */
  function db(then) {
    if (!window.indexedDB) return;
    var req = indexedDB.open("cc-report", 1);
    req.onupgradeneeded = function () { req.result.createObjectStore("drafts"); };
    req.onsuccess = function () { then(req.result); };
  }
  function saveFiles() {
    if (!key) return;
    db(function (d) { d.transaction("drafts", "readwrite").objectStore("drafts").put(chosen.slice(), key); });
  }
  function loadFiles(then) {
    db(function (d) {
      var get = d.transaction("drafts").objectStore("drafts").get(key);
      get.onsuccess = function () { then(get.result || []); };
    });
  }
  function saveDraft() {
    if (!key) return;
    var data = {};
    fields.forEach(function (n) { if (field(n)) data[n] = field(n).value; });
    if (classSel) data.categoryClass = classSel.value;
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* private mode */ }
  }
  function clearDraft(k) {
    try { localStorage.removeItem(k); } catch (e) { /* private mode */ }
    db(function (d) { d.transaction("drafts", "readwrite").objectStore("drafts").delete(k); });
  }
  function restoreDraft() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var bound = form.getAttribute("data-bound") === "1";
    var restored = false;
    if (saved && !bound) {
      fields.forEach(function (n) {
        var el = field(n);
        if (el && !el.value && saved[n]) { el.value = saved[n]; restored = true; }
      });
      if (classSel && saved.categoryClass) { classSel.value = saved.categoryClass; showClass(classSel.value); if (saved.category) subSel.value = saved.category; }
      if (saved.category) autoPicked = false;
      if (saved.point && document.getElementById("point-box")) {
        document.getElementById("point-box").hidden = false;
        document.getElementById("point-code").textContent = saved.point;
      }
    }
    if (form.getAttribute("data-restore-files") === "1") {
      var bad = readJSON("rejected-files");
      bad = Array.isArray(bad) ? bad : [];
      loadFiles(function (files) {
        var good = files.filter(function (f) { return bad.indexOf(f.name) < 0; });
        if (good.length) { addFiles(good); if (!bound) announceRestored(); }
      });
    }
    if (restored) announceRestored();
  }
  var announced = false;
  function announceRestored() {
    if (announced) return;
    announced = true;
    say("draft-status", text("draftRestored"));
    var status = document.getElementById("draft-status");
    var discard = document.createElement("button");
    discard.type = "button"; discard.className = "linkbtn"; discard.textContent = text("discard");
    discard.addEventListener("click", function () {
      clearDraft(key);
      setTimeout(function () { location.replace(location.pathname + location.search); }, 100);
    });
    status.appendChild(document.createTextNode(" ")); status.appendChild(discard);
  }

  if (key) {
    restoreDraft();
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    form.addEventListener("submit", function (e) {
      saveDraft();
      if (navigator.onLine === false) { e.preventDefault(); say("draft-status", text("offline")); return; }
      var btn = document.getElementById("report-submit");
      if (btn) { btn.disabled = true; btn.textContent = text("sending"); }
    });
    window.addEventListener("pageshow", function () {
      var btn = document.getElementById("report-submit");
      if (btn) btn.disabled = false;
    });
  }

  if (!showPoint()) showMarker(17);
  // A description brought back (draft or refused form) gets its suggestion at once.
  if (desc && desc.value.trim() && autoPicked) askSuggestion();
  var hasPlace = (field("point") && field("point").value) || (field("lng") && field("lng").value);
  if (!hasPlace && locateBtn && form.getAttribute("data-bound") !== "1") locate();
})();
