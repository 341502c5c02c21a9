// Keyboard use of lists (j/k move, x select, o or Enter open, / filters, n note) and the queue's selection count.
(function () {
  "use strict";
  var focused = -1;

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-keyboard-list] [data-row]")); }

  function focusRow(index) {
    var all = rows();
    if (!all.length) { return; }
    focused = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) { row.classList.toggle("focused", i === focused); });
    all[focused].scrollIntoView({ block: "nearest" });
  }

  function updateCount() {
    var count = document.querySelectorAll("input[name=account_ids]:checked").length;
    document.querySelectorAll("[data-selected-count]").forEach(function (el) { el.textContent = String(count); });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      document.querySelectorAll("input[name=account_ids]").forEach(function (box) { box.checked = event.target.checked; });
    }
    updateCount();
  });

  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var all = rows();
    if (event.key === "j") { focusRow(focused + 1); }
    else if (event.key === "k") { focusRow(focused - 1); }
    else if (event.key === "x" && all[focused]) {
      var box = all[focused].querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; updateCount(); }
    } else if ((event.key === "o" || event.key === "Enter") && all[focused]) {
      var link = all[focused].querySelector("[data-open]");
      if (link) { link.click(); }
    } else if (event.key === "/") {
      var filter = document.querySelector(".filters select, .filters input");
      if (filter) { filter.focus(); }
    } else if (event.key === "n") {
      var note = document.querySelector("textarea[name=note]");
      if (note) { note.focus(); }
    } else { return; }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", updateCount);
})();
