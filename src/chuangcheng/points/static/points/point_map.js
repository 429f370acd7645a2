/* The small map on a point's page: the point on the configured base map. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var p = config.point;
  var map = ccMap.create(document.getElementById("point-map"), config);
  if (config.outline) {
    ccMap.geoJSON(config.outline, { style: { color: "#52606d", weight: 1.5, dashArray: "6 5", fill: false }, interactive: false }).addTo(map);
  }
  var at = ccMap.latLng([p.lng, p.lat]);
  L.circleMarker(at, { radius: 8, weight: 2, color: "#fff", fillColor: "#c8102e", fillOpacity: 1 })
    .bindTooltip(p.name, { permanent: true, direction: "top", offset: [0, -8] })
    .addTo(map);
  map.setView(at, 16);
})();
