// Admin question form: show only the inline (choices, ordering items or matching pairs) that fits the kind.
// Without JavaScript every inline stays visible and the server-side rules still apply.
(function () {
  "use strict";
  function update() {
    var kind = document.getElementById("id_kind");
    if (!kind) return;
    document.querySelectorAll(".question-part").forEach(function (group) {
      group.hidden = !group.classList.contains("kind-" + kind.value);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.getElementById("id_kind");
    if (!kind) return;
    kind.addEventListener("change", update);
    update();
  });
})();
