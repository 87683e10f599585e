// Small page behaviours, kept out of the HTML: the Content-Security-Policy allows no inline script.
// <form data-confirm="Question?"> asks before submitting; <form data-no-submit> never submits (a script
// handles it); <button data-copy-from="id"> copies that field's text. An .error-summary takes the focus
// when the page opens, so a keyboard or screen-reader user starts at the list of what to correct.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.hasAttribute("data-no-submit") || (form.dataset.confirm && !window.confirm(form.dataset.confirm))) {
    event.preventDefault();
  }
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-from]");
  if (button) navigator.clipboard.writeText(document.getElementById(button.dataset.copyFrom).value);
});
document.querySelector(".error-summary")?.focus();
