// Long unit pickers: a filter box that narrows the options without diacritics, and a line that
// names what is selected (a multi-select hides its choices once scrolled).
(function () {
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function summarise(select, line) {
    var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.text.trim(); });
    line.textContent = chosen.length ? "Đã chọn: " + chosen.join("; ") : "Chưa chọn đơn vị nào.";
  }
  function wire(root) {
    root.querySelectorAll("select.agency-picker:not([data-wired])").forEach(function (select) {
      select.dataset.wired = "1";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "picker-filter";
      box.placeholder = "Lọc theo tên…";
      box.setAttribute("aria-label", box.placeholder);
      select.parentNode.insertBefore(box, select);
      var line = document.createElement("div");
      line.className = "picker-chosen helptext";
      line.setAttribute("aria-live", "polite");
      select.parentNode.insertBefore(line, select.nextSibling);
      summarise(select, line);
      select.addEventListener("change", function () { summarise(select, line); });
      box.addEventListener("input", function () {
        var q = fold(box.value.trim());
        Array.prototype.forEach.call(select.options, function (opt) {
          opt.hidden = q !== "" && fold(opt.text).indexOf(q) === -1 && !opt.selected;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (e) {
    wire(e.target);
    // An editor opened from a row far down the appendix appears at the top: bring it into view.
    if (e.target.id === "task-editor" || e.target.id === "node-editor") {
      e.target.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  });
})();

// "Copy" buttons: data-copy names the element whose text goes to the clipboard (the written analysis).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text);
    } else {
      source.select && source.select();
      document.execCommand("copy");
    }
    button.dataset.copied = "1";
  });
})();

// Behaviour and sizes that used to sit in the markup (on* attributes, style="…") live here, so the content
// security policy can forbid inline scripts and styles: data-autosubmit submits its form on change,
// data-confirm asks before a form is sent, data-width / data-height / data-share size bars and charts.
(function () {
  "use strict";
  function number(value) {
    var n = parseFloat(value);
    return isFinite(n) ? n : 0;
  }
  function layout(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, number(el.dataset.width))) + "%";
    });
    root.querySelectorAll("[data-height]").forEach(function (el) {
      el.style.height = Math.max(0, number(el.dataset.height)) + "px";
    });
    root.querySelectorAll("[data-share]").forEach(function (el) {
      el.style.setProperty("--share", String(Math.max(0, Math.min(1, number(el.dataset.share)))));
    });
  }
  document.addEventListener("change", function (e) {
    var field = e.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) e.preventDefault();
  }, true);
  document.addEventListener("DOMContentLoaded", function () { layout(document); });
  document.addEventListener("htmx:afterSwap", function (e) { layout(e.target); });
})();

// The menu on a phone: one button opens and closes it (CSS hides it below 640 px).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest(".menu-button");
    if (!button) return;
    var bar = button.closest(".topbar");
    var open = !bar.classList.contains("open");
    bar.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
