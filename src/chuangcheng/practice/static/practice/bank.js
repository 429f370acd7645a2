// 文明储蓄银行 forms that move points or stock: after the first submit the button is disabled, so a
// double tap sends the form once. The server guards too (each form carries a one-time token).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    // Disable after the browser has read the form, or the clicked button's value would be lost.
    window.setTimeout(function () {
      buttons.forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
    }, 0);
  }, true);
  // Going back to a page restored from the cache re-enables its forms.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    });
  });
})();

// Scanning a household's door QR code with the phone's camera, where the browser can read QR
// codes (BarcodeDetector); elsewhere the button stays hidden and the link is typed or pasted.
(function () {
  "use strict";
  var form = document.querySelector("[data-scan-form]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var button = form.querySelector("[data-scan]");
  var video = form.querySelector("[data-scan-video]");
  var input = form.querySelector("input[name=q]");
  if (!button || !video || !input) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var tries = 0;
      var look = function () {
        if (tries++ > 300) { stop(); return; }
        detector.detect(video).then(function (codes) {
          if (codes.length) { stop(); input.value = codes[0].rawValue; form.submit(); }
          else { window.setTimeout(look, 200); }
        }).catch(function () { window.setTimeout(look, 200); });
      };
      look();
    }).catch(function () { button.hidden = true; });
  });
})();
