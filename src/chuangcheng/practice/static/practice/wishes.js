// 微心愿 pages: a button marked data-once is disabled after its form is sent, so a second tap
// on a slow phone network cannot post the claim (or the photos) twice; the photo input says how
// many photos are chosen and refuses more than six before anything is uploaded.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = form.querySelector("button[data-once]");
    if (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
  var input = document.getElementById("id_photos");
  if (input) {
    input.addEventListener("change", function () {
      var help = input.parentNode.querySelector(".help");
      var n = input.files ? input.files.length : 0;
      if (n > 6) {
        input.setCustomValidity(input.getAttribute("data-too-many") || "≤ 6");
      } else {
        input.setCustomValidity("");
      }
      if (help && n) {
        help.textContent = (input.getAttribute("data-chosen") || "{n}").replace("{n}", n);
      }
      input.reportValidity();
    });
  }
})();
