/* Công vụ KPI: the little behaviour pages need beyond htmx. No inline handlers, so a strict CSP stays possible. */
(function () {
  "use strict";
  // Org tree: a +/− button shows or hides a unit's children; htmx loads them on the first click.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.toggle[aria-controls]");
    if (!button) return;
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    button.setAttribute("aria-label", button.dataset[open ? "expandLabel" : "collapseLabel"]);
    button.textContent = open ? "+" : "−";
    list.hidden = open;
  });
  // File pickers: show the chosen file's name next to the button.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".file-picker input[type=file]")) return;
    var label = input.parentNode.querySelector("[data-file-name]");
    if (label && input.files && input.files.length) label.textContent = input.files[0].name;
  });
  // Filter forms: leave empty fields out of the request, so the address bar holds only what was chosen.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.closest || !event.detail.elt.closest("form[role=search]")) return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });
  // After htmx swaps in new results, tell screen readers what changed.
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = event.detail.target.querySelector("[data-announce]");
    var live = document.getElementById("live-status");
    if (status && live) live.textContent = status.getAttribute("data-announce");
  });
})();
