/* Posting pages: confirmation before closing or deleting, and the category list following the
   chosen kind in the browse filters. Loaded as a file: the CSP allows no inline script. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  var kind = document.querySelector("[data-kind-select]");
  var category = document.querySelector("[data-category-select]");
  if (kind && category) {
    var follow = function () {
      var chosen = kind.value;
      Array.prototype.forEach.call(category.options, function (option) {
        var kinds = (option.getAttribute("data-kinds") || "").split(" ");
        var fits = !option.value || !chosen || kinds.indexOf(chosen) !== -1;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) { category.value = ""; }
      });
    };
    kind.addEventListener("change", follow);
    follow();
  }
})();
