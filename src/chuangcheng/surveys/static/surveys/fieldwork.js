/* fieldwork.js — the quota grid's row and grid totals as targets are typed; the poster's print
 * button. */
(function () {
  "use strict";
  var form = document.getElementById("fw-quota-form");
  if (form) {
    var total = form.querySelector("[data-grid-sum]");
    var target = parseInt(form.getAttribute("data-target") || "", 10);
    var sum = function () {
      var all = 0;
      form.querySelectorAll("tbody tr").forEach(function (row) {
        var n = 0;
        row.querySelectorAll("input.fw-num").forEach(function (input) {
          var v = parseInt(input.value.replace(/,/g, ""), 10);
          if (!isNaN(v) && v >= 0) n += v;
        });
        var cell = row.querySelector("[data-row-sum]");
        if (cell) cell.textContent = String(n);
        all += n;
      });
      if (total) {
        total.textContent = String(all);
        total.classList.toggle("error-text", !isNaN(target) && all !== target);
      }
    };
    form.addEventListener("input", sum);
    sum();
  }
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
