// Evoke dashboard: progressive enhancement only. Every page works without this script.
// 1. Filters apply on change (the Apply button remains for keyboard users who prefer it).
// 2. Empty filter fields are left out of the address, so shared links stay short.
// 3. Chart marks with a <title> show it as a tooltip on keyboard focus too (hover shows it natively).

document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method !== "get") return;
  for (const field of form.elements) {
    if ((field instanceof HTMLInputElement || field instanceof HTMLSelectElement) && field.name && field.value === "") {
      field.disabled = true;
    }
  }
  // Re-enable after the navigation started, should the page come back from the cache.
  setTimeout(() => {
    for (const field of form.elements) field.disabled = false;
  }, 0);
});

const tip = document.createElement("div");
tip.className = "tooltip";
tip.setAttribute("role", "tooltip");
tip.hidden = true;
document.addEventListener("DOMContentLoaded", () => document.body.append(tip));

function show(mark) {
  const title = mark.querySelector(":scope > title");
  if (!title) return;
  tip.textContent = title.textContent;
  const box = mark.getBoundingClientRect();
  tip.style.left = `${window.scrollX + box.left + box.width / 2}px`;
  tip.style.top = `${window.scrollY + box.top - 8}px`;
  tip.hidden = false;
}

document.addEventListener("focusin", (event) => {
  const mark = event.target;
  if (mark instanceof SVGElement && mark.closest("svg.chart")) show(mark);
});
document.addEventListener("focusout", () => {
  tip.hidden = true;
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") tip.hidden = true;
});
