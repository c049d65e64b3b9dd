import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/*
 * Observable Plot rendered on the server: a chart arrives as SVG in the page, readable before
 * (and without) any script. Tooltips are SVG <title> elements (the `title` channel), which
 * browsers show on hover and /assets/app.js also shows on keyboard focus. Plot's own <style>
 * element is dropped: the page's Content-Security-Policy allows no inline styles, and
 * /assets/app.css carries the same rules.
 */

const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");

/** Okabe & Ito's palette: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

export const TIER_COLOURS = { "below fair": "#D55E00", fair: "#E69F00", good: "#0072B2", "(all)": "#555555" };

/** At most this many marks get a keyboard stop each; busier charts are read through their table view. */
const MAX_FOCUSABLE_MARKS = 80;

export interface ChartOptions extends Plot.PlotOptions {
  /** What the chart shows, for screen readers (aria-label). */
  readonly description: string;
}

/** Charts at least this wide (in their own units) are drawn larger than the screen on a phone, in a box that scrolls. */
const WIDE_CHART = 600;

export function renderChart({ description, ...options }: ChartOptions): string {
  const width = options.width ?? 720;
  const svg = Plot.plot({
    document,
    width,
    height: 320,
    marginLeft: 56,
    style: undefined,
    ...options,
  }) as unknown as Element;
  for (const style of [...svg.querySelectorAll("style")]) style.remove();
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", description);
  svg.setAttribute("class", `${svg.getAttribute("class") ?? ""} chart${width >= WIDE_CHART ? " wide" : ""}`.trim());
  // Plot names each mark's layer (<g aria-label="dot">); ARIA allows a name only with a role.
  for (const layer of [...svg.querySelectorAll("g[aria-label]")]) {
    if (!layer.hasAttribute("role")) layer.setAttribute("role", "group");
  }
  const titled = [...svg.querySelectorAll("title")];
  if (titled.length <= MAX_FOCUSABLE_MARKS) {
    for (const title of titled) title.parentElement?.setAttribute("tabindex", "0");
  }
  return svg.outerHTML;
}

export { Plot };
