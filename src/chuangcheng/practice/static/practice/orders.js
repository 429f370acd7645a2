/* orders.js — service order pages: hours presets on 圆单 (one tap fills the hours), a
   confirmation before cancelling, and the poster's print button. No inline script (CSP). */
(function () {
  "use strict";
  document.querySelectorAll("[data-hours]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById("id_hours");
      if (!input) { return; }
      input.value = button.getAttribute("data-hours");
      document.querySelectorAll("[data-hours]").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
    });
  });
  var hours = document.getElementById("id_hours");
  if (hours) {
    document.querySelectorAll("[data-hours]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-hours") === hours.value ? "true" : "false");
    });
  }
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
