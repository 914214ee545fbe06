// Questions that apply only after some answers: hide each one (the `hidden` attribute, so screen readers skip it too)
// while its data-shown-when conditions, {"question": [values]}, do not hold. Without script every question shows;
// the server ignores the answers to questions that do not apply.
(function () {
  "use strict";
  function chosen(form, name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          values.push(input.value);
        }
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }
  function holds(form, conditions) {
    return Object.keys(conditions).every(function (name) {
      // A question that is itself hidden counts as unanswered (document order puts it first, so it is settled).
      var earlier = document.getElementById("q-" + name);
      if (earlier && earlier.hidden) {
        return false;
      }
      return chosen(form, name).some(function (value) {
        return conditions[name].indexOf(value) !== -1;
      });
    });
  }
  function update() {
    document.querySelectorAll("form [data-shown-when]").forEach(function (question) {
      var conditions = JSON.parse(question.getAttribute("data-shown-when"));
      question.hidden = !holds(question.closest("form"), conditions);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest("form")) {
      update();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
