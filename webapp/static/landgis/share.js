/* Copy a parcel's link to the clipboard (falls back to selecting the text). */
(function () {
  "use strict";
  var button = document.getElementById("copy-link");
  var input = document.getElementById("share-url");
  if (!button || !input) { return; }
  button.addEventListener("click", function () {
    function done() { button.textContent = button.getAttribute("data-copied"); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
    } else {
      input.select();
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selection stays */ }
    }
  });
})();
