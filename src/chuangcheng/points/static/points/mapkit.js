/* mapkit.js — shared Leaflet set-up for chuangcheng maps (points, command centre).
 *
 *   const map = ccMap.create(element, config);   // config from {{ config|json_script }}
 *   ccMap.toDisplay([lng, lat])  -> [lng, lat] in the base map's datum
 *   ccMap.latLng([lng, lat])     -> L.LatLng ready to draw
 *   ccMap.geoJSON(data, options) -> L.geoJSON converting every position
 *   ccMap.outlines(featureCollection, options) -> region outline layers (see below)
 *
 * Data is always WGS-84. config.tiles: "" = no tiles (outlines only), "tianditu" = 天地图
 * vec_w + cva_w (CGCS2000 ≈ WGS-84) with config.tiandituKey, "amap" = 高德 tiles (GCJ-02:
 * every overlay is shifted WGS-84 → GCJ-02 before drawing), anything else = custom WGS-84 XYZ URL.
 */
(function () {
  "use strict";
  var A = 6378245.0;
  var EE = 0.00669342162296594323;
  var PI = Math.PI;

  // The same published formulas as chuangcheng/core/geo.py.
  function inChina(lng, lat) {
    return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
  }
  function deltaLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    return r;
  }
  function deltaLng(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return r;
  }
  function wgs84ToGcj02(lng, lat) {
    if (!inChina(lng, lat)) return [lng, lat];
    var dLat = deltaLat(lng - 105.0, lat - 35.0);
    var dLng = deltaLng(lng - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * PI;
    var magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
    dLng = (dLng * 180.0) / (A / sqrtMagic * Math.cos(radLat) * PI);
    return [lng + dLng, lat + dLat];
  }

  var TDT = "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0" +
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={tk}";
  var AMAP = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}";

  var ccMap = {
    /* "wgs84" or "gcj02": the datum of the base map of the last map created on the page. */
    datum: "wgs84",
    wgs84ToGcj02: wgs84ToGcj02,
    toDisplay: function (c) {
      return ccMap.datum === "gcj02" ? wgs84ToGcj02(+c[0], +c[1]) : [+c[0], +c[1]];
    },
    latLng: function (c) {
      var d = ccMap.toDisplay(c);
      return L.latLng(d[1], d[0]);
    },
    geoJSON: function (data, options) {
      return L.geoJSON(data, Object.assign({ coordsToLatLng: ccMap.latLng }, options || {}));
    },
    /* How region outlines are drawn: the district in red, streets dashed when approximate. */
    regionStyle: function (f) {
      var p = f.properties;
      if (p.level === "district") return { color: "#c8102e", weight: 3, fill: false };
      if (p.level === "street") return { color: "#52606d", weight: 1.5, dashArray: p.approximate ? "6 5" : null, fillColor: "#ffffff", fillOpacity: 0.25 };
      return { color: "#7b8794", weight: 1, dashArray: p.approximate ? "3 4" : null, fill: false };
    },
    /* Region outlines from points.queries.region_outlines, not yet on a map:
     *   { main: district + streets (streets labelled), communities: their own layer,
     *     bounds: of main or null, communityCount } */
    outlines: function (fc, options) {
      options = options || {};
      var features = (fc && fc.features) || [];
      var main = features.filter(function (f) { return f.properties.level !== "community"; });
      var comm = features.filter(function (f) { return f.properties.level === "community"; });
      // Streets under the district so the district's red line stays on top.
      main.sort(function (a, b) { return a.properties.level === "district" ? 1 : b.properties.level === "district" ? -1 : 0; });
      var style = options.style || ccMap.regionStyle;
      var extra = options.renderer ? { renderer: options.renderer } : {};
      var mainLayer = ccMap.geoJSON({ type: "FeatureCollection", features: main }, Object.assign({
        style: style,
        interactive: false,
        onEachFeature: function (f, lyr) {
          if (options.labels !== false && f.properties.level === "street") {
            lyr.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "cc-region-label" });
          }
        },
      }, extra));
      var commLayer = ccMap.geoJSON({ type: "FeatureCollection", features: comm }, Object.assign({ style: style, interactive: false }, extra));
      return { main: mainLayer, communities: commLayer, bounds: main.length ? mainLayer.getBounds() : null, communityCount: comm.length };
    },
    create: function (el, config) {
      config = config || {};
      var tiles = (config.tiles || "").trim();
      ccMap.datum = tiles === "amap" ? "gcj02" : "wgs84";
      var map = L.map(el, {
        preferCanvas: true,
        zoomSnap: 0.5,
        attributionControl: !!tiles,
        center: config.center || [39.917, 116.41],
        zoom: config.zoom || 13,
      });
      var attribution = config.attribution || "";
      if (tiles === "tianditu") {
        ["vec", "cva"].forEach(function (layer) {
          L.tileLayer(TDT, { layer: layer, tk: config.tiandituKey || "", subdomains: "01234567",
            maxZoom: 18, attribution: attribution || "天地图" }).addTo(map);
        });
      } else if (tiles === "amap") {
        L.tileLayer(AMAP, { subdomains: "1234", maxZoom: 18, attribution: attribution || "高德地图" }).addTo(map);
      } else if (tiles) {
        L.tileLayer(tiles, { maxZoom: 19, attribution: attribution }).addTo(map);
      } else {
        el.classList.add("cc-notiles");
      }
      map.ccDatum = ccMap.datum;
      return map;
    },
  };
  window.ccMap = ccMap;
})();
