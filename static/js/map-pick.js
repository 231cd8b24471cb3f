// Picking a building on the map of the issue form: a click on a building ticks its radio button, and the
// ticked building is shown on the map. Without this file the radio buttons under the map do the same.
(function () {
  "use strict";

  function setUp(picker) {
    var field = picker.parentNode;
    var radios = field.querySelectorAll('input[type="radio"]');
    function show() {
      var picked = field.querySelector('input[type="radio"]:checked');
      picker.querySelectorAll("[data-building]").forEach(function (shape) {
        shape.classList.toggle("picked", !!picked && shape.getAttribute("data-building") === picked.value);
      });
    }
    picker.addEventListener("click", function (event) {
      var shape = event.target.closest("[data-building]");
      if (!shape) return;
      var radio = field.querySelector('input[type="radio"][value="' + shape.getAttribute("data-building") + '"]');
      if (!radio) return;
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    });
    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".map-picker").forEach(setUp);
  });
})();
