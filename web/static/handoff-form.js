// "Add another fact" without a round trip; the server-side button still works without JavaScript.
(function () {
  const button = document.getElementById("add-fact");
  if (!button) return;
  button.addEventListener("click", function (event) {
    event.preventDefault();
    const rows = document.querySelectorAll("#facts .fact-row");
    const row = rows[rows.length - 1].cloneNode(true);
    const n = rows.length;
    row.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/facts-\d+-/, "facts-" + n + "-");
      input.value = "";
    });
    row.querySelectorAll(".error").forEach(function (e) { e.remove(); });
    rows[rows.length - 1].after(row);
    row.querySelector("input").focus();
  });
})();
