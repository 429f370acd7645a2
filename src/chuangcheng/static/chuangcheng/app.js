/* Behaviour every page may use, declared with data attributes instead of inline handlers (the
 * content security policy runs no inline script):
 *   <button data-confirm="Question?">   asks before the button's form is submitted
 *   <button data-print>                  prints the page
 *   <select data-autosubmit>             submits its form when the choice changes
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var asking = target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      if (typeof target.form.requestSubmit === "function") target.form.requestSubmit();
      else target.form.submit();
    }
  });
})();
