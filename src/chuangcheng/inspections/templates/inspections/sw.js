/* Service worker of the inspection phone pages (scope /inspections/).
 * Static files: served from the cache at once and refreshed in the background.
 * Phone pages under {{ scope }}: fetched from the network when there is one (and kept),
 * otherwise served from the cache, so a round opened once still works without a network.
 * Uploads (POST) are never touched: the page's outbox keeps and retries them. */
"use strict";
var VERSION = "{{ version|escapejs }}";
var STATIC = {{ static_files|safe }};
var SCOPE = "{{ scope|escapejs }}";
var ASSETS = "cc-field-static-" + VERSION;
var PAGES = "cc-field-pages";
var OFFLINE = "{{ offline|escapejs }}";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) { return cache.addAll(STATIC); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("cc-field-static-") === 0 && k !== ASSETS; })
      .map(function (k) { return caches["delete"](k); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(cacheName, request, response) {
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

function document_page(text) {
  var safe = text.replace(/[&<>]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;" }[c]; });
  return "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<p style='font:16px sans-serif;padding:1rem'>" + safe + "</p>";
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "precache" || !Array.isArray(data.urls)) return;
  event.waitUntil(caches.open(PAGES).then(function (cache) {
    return Promise.all(data.urls.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (response.ok && !response.redirected) return cache.put(url, response);
      })["catch"](function () { /* offline: keep what is cached */ });
    }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (STATIC.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request).then(function (cached) {
      var fresh = fetch(request).then(function (r) { return keep(ASSETS, request, r); });
      return cached || fresh;
    }));
    return;
  }
  if (request.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0) {
    event.respondWith(fetch(request).then(function (r) { return keep(PAGES, request, r); })["catch"](function () {
      return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (cached) {
        var page = document_page(OFFLINE);
        return cached || new Response(page,
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
    }));
  }
});
