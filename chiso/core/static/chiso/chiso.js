// Filter box for the long unit pickers: typing narrows the options, without diacritics.
(function () {
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function wire(root) {
    root.querySelectorAll("select.agency-picker:not([data-wired])").forEach(function (select) {
      select.dataset.wired = "1";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "picker-filter";
      box.placeholder = select.dataset.filterPlaceholder || "Lọc theo tên…";
      box.setAttribute("aria-label", box.placeholder);
      select.parentNode.insertBefore(box, select);
      box.addEventListener("input", function () {
        var q = fold(box.value.trim());
        Array.prototype.forEach.call(select.options, function (opt) {
          opt.hidden = q !== "" && fold(opt.text).indexOf(q) === -1 && !opt.selected;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (e) { wire(e.target); });
})();
