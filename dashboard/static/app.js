// Evoke dashboard: progressive enhancement only. Every page works without this script.
// 1. Filters apply on change with a pointer; from the keyboard they wait for Apply (arrowing
//    through a menu or typing a date would otherwise reload the page at every key: WCAG 3.2.2).
// 2. Empty filter fields are left out of the address, so shared links stay short.
// 3. Chart marks with a <title> show it as a tooltip on keyboard focus too (hover shows it natively).
// 4. A chart box that scrolls sideways (a wide chart on a phone) takes keyboard focus, so arrow keys scroll it.

const typedIn = new WeakSet();
document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLElement && event.target.hasAttribute("data-autosubmit")) typedIn.add(event.target);
});
document.addEventListener("pointerdown", (event) => {
  if (event.target instanceof HTMLElement) typedIn.delete(event.target);
});

document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLElement && target.hasAttribute("data-autosubmit") && target.form && !typedIn.has(target)) {
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

function focusableScrollBoxes() {
  for (const box of document.querySelectorAll(".chart-box")) {
    const scrolls = box.scrollWidth > box.clientWidth;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Chart: scroll sideways to see all of it");
    } else if (!scrolls && box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
document.addEventListener("DOMContentLoaded", focusableScrollBoxes);
window.addEventListener("resize", focusableScrollBoxes);
