/* Small behaviours shared by every page, kept out of the HTML so the pages need no inline script.
 *   <form data-confirm="Question?">   asks before submitting
 *   <button data-copy="element-id">   copies that field's text to the clipboard
 *   table.list                        keeps its table roles when a phone stacks its cells
 *   .error-summary                    takes the focus when the page opens, so a keyboard or
 *                                     screen-reader user starts at the list of what to correct
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        button.textContent = "Copied";
      });
    }
  });
  // On a phone the tables' cells are stacked (display:block), which makes browsers forget they are
  // a table; explicit roles keep rows and cells announced as such.
  document.querySelectorAll("table.list").forEach(function (table) {
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody").forEach(function (g) { g.setAttribute("role", "rowgroup"); });
    table.querySelectorAll("tr").forEach(function (r) { r.setAttribute("role", "row"); });
    table.querySelectorAll("th").forEach(function (c) { c.setAttribute("role", "columnheader"); });
    table.querySelectorAll("td").forEach(function (c) { c.setAttribute("role", "cell"); });
  });
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
