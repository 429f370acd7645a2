// Draw a region's boundary (solid red) and its children's (thin blue) with no base-map tiles:
// outlines alone are enough to recognise a street or community (../shared/domain.md §10).
(function () {
  var el = document.getElementById("regionmap");
  var data = document.getElementById("region-features");
  if (!el || !data || !window.L) return;
  var fc = JSON.parse(data.textContent);
  fc.features = fc.features.filter(function (f) { return f.geometry; });
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var layer = L.geoJSON(fc, {
    style: function (f) {
      var p = f.properties;
      return {
        color: p.main ? "#c8102e" : "#1f6feb",
        weight: p.main ? 3 : 1.5,
        fillOpacity: p.main ? 0.06 : 0.1,
        dashArray: p.approximate ? "6 4" : null
      };
    },
    onEachFeature: function (f, l) {
      if (!f.properties.main) {
        l.bindTooltip(f.properties.name, { sticky: true });
        l.on("click", function () { window.location.href = "../" + encodeURIComponent(f.properties.code) + "/"; });
      }
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [12, 12] });
})();
