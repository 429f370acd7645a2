/* field_round.js — a round's points on the phone: a list sorted by distance when the phone
 * gives its position, and a map (Leaflet, no tiles needed). Points uploaded from this phone or
 * waiting in the outbox are marked, so the page is right even when it came from the cache. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("field-config").textContent);
  var L_ = config.labels;
  var list = document.getElementById("fd-list");
  var mapEl = document.getElementById("fd-map");
  var map = null, me = null, markers = {}, here = null;

  function distance(lng1, lat1, lng2, lat2) {
    var R = 6371000, rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLng = (lng2 - lng1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 2 * R * Math.asin(Math.sqrt(a));
  }
  function human(m) { return m < 1000 ? Math.round(m) + " m" : (m / 1000).toFixed(1) + " km"; }

  function sortBy(coords) {
    here = coords;
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (li) {
      li.dataset.d = distance(coords.longitude, coords.latitude, +li.dataset.lng, +li.dataset.lat);
      li.querySelector("[data-distance]").textContent = ccOutbox.fmt(L_.distance, { d: human(+li.dataset.d) });
    });
    items.sort(function (a, b) { return a.dataset.d - b.dataset.d; });
    items.forEach(function (li) { list.appendChild(li); });
    showMe();
  }

  function showMe() {
    if (map && here) {
      var at = ccMap.latLng([here.longitude, here.latitude]);
      if (me) me.setLatLng(at);
      else me = L.circleMarker(at, { radius: 7, color: "#fff", weight: 2, fillColor: "#1f6feb", fillOpacity: 1 })
        .bindTooltip(L_.you).addTo(map);
    }
  }

  function mark(records) {
    var pending = {};
    (records || []).forEach(function (r) { if (!r.error) pending[r.fields.round_point] = true; });
    var done = ccOutbox.doneSet();
    Array.prototype.forEach.call(list.children, function (li) {
      var state = li.querySelector("[data-state]");
      var id = +li.dataset.id;
      if (!state) return;
      if (pending[id]) { state.textContent = L_.waiting; state.className = "badge badge-gold"; }
      else if (done.indexOf(id) >= 0) { state.textContent = L_.done; state.className = "badge badge-green"; }
    });
    config.points.forEach(function (p) {
      var m = markers[p.id];
      if (m) m.setStyle({ fillColor: p.done || done.indexOf(p.id) >= 0 ? "#1a7f37" : pending[p.id] ? "#b58900" : "#c8102e" });
    });
  }

  function drawMap() {
    map = ccMap.create(mapEl, config);
    if (config.outline) {
      ccMap.geoJSON(config.outline, { style: { color: "#52606d", weight: 1.5, dashArray: "6 5", fill: false }, interactive: false }).addTo(map);
    }
    var bounds = [];
    config.points.forEach(function (p) {
      var at = ccMap.latLng([p.lng, p.lat]);
      bounds.push(at);
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      markers[p.id] = L.circleMarker(at, { radius: 9, weight: 2, color: "#fff", fillColor: p.done ? "#1a7f37" : "#c8102e", fillOpacity: 1 })
        .bindPopup(function () {
          var div = document.createElement("div");
          div.appendChild(link);
          div.appendChild(document.createElement("br"));
          div.appendChild(document.createTextNode(p.type));
          return div;
        })
        .addTo(map);
    });
    if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.2), { maxZoom: 16 });
    showMe();
    ccOutbox.all().then(mark);
  }

  function tab(which) {
    var showMap = which === "map";
    document.getElementById("tab-list").setAttribute("aria-selected", String(!showMap));
    document.getElementById("tab-map").setAttribute("aria-selected", String(showMap));
    list.hidden = showMap;
    mapEl.hidden = !showMap;
    if (showMap && !map) drawMap();
    if (map) map.invalidateSize();
  }
  document.getElementById("tab-list").addEventListener("click", function () { tab("list"); });
  document.getElementById("tab-map").addEventListener("click", function () { tab("map"); });

  if (navigator.geolocation) {
    navigator.geolocation.getCurrentPosition(function (p) { sortBy(p.coords); }, function () {},
      { enableHighAccuracy: true, maximumAge: 60000, timeout: 15000 });
  }
  document.addEventListener("cc-outbox-change", function (e) { mark(e.detail); });

  // Keep this round's pages for offline use once the service worker is ready.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: "precache", urls: config.precache.concat([location.pathname]) });
    });
  }
})();
