/* Survey designer: show the fields of the chosen question kind, add choice rows, and offer
   only the chosen question's answers in the skip-logic builder. The form works without it. */
(function () {
  "use strict";
  var form = document.querySelector("[data-sv-question]");
  if (!form) { return; }

  var kind = form.querySelector("#id_kind");
  function showKind() {
    var value = kind.value;
    form.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(value) < 0;
    });
  }
  kind.addEventListener("change", showKind);
  showKind();

  var body = form.querySelector("[data-sv-rows]");
  var template = form.querySelector("[data-sv-row-template]");
  var total = form.querySelector("#id_c-TOTAL_FORMS");
  var add = form.querySelector("[data-sv-add-row]");
  if (body && template && total && add) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = body.lastElementChild && body.lastElementChild.querySelector("input");
      if (first) { first.focus(); }
    });
  }

  var question = form.querySelector("#id_when_question");
  var answer = form.querySelector("[data-sv-when-value]");
  var operator = form.querySelector("#id_when_op");
  function showAnswers() {
    var name = question.value;
    answer.querySelectorAll("optgroup").forEach(function (group) {
      var mine = group.getAttribute("data-question") === name;
      group.hidden = !mine;
      group.disabled = !mine;
    });
    var chosen = answer.selectedOptions[0];
    if (chosen && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.disabled) {
      answer.value = "";
    }
    answer.disabled = !name;
    operator.disabled = !name;
  }
  if (question && answer && operator) {
    question.addEventListener("change", showAnswers);
    showAnswers();
  }
})();
