/* Filter form: apply on change (the URL carries the state), and list items zoom the map. */
(function () {
  "use strict";
  var form = document.getElementById("filter-form");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=checkbox], select")) { submitClean(); }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); submitClean(); });
  }

  // Drop empty fields so shared URLs stay short and readable.
  function submitClean() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") { params.append(key, value); }
    });
    var query = params.toString();
    window.location.assign(form.getAttribute("action") + (query ? "?" + query : ""));
  }

  var list = document.getElementById("result-list");
  if (list) {
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-parcel-id]");
      if (!button || !window.landgis) { return; }
      if (window.landgis.zoomTo(Number(button.getAttribute("data-parcel-id")))) {
        var map = document.querySelector(".map-area");
        if (map && map.getBoundingClientRect().top < 0) { map.scrollIntoView({ behavior: "smooth" }); }
      }
    });
  }
})();
