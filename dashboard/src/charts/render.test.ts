import { describe, expect, it } from "vitest";
import { Plot, renderChart } from "./render.ts";

describe("server-rendered charts", () => {
  const points = Array.from({ length: 5 }, (_, i) => ({ x: i, y: i * i }));

  it("renders SVG with a description and no inline <style> (the CSP allows none)", () => {
    const svg = renderChart({
      description: "Squares",
      marks: [Plot.dot(points, { x: "x", y: "y", title: (p: { y: number }) => `y ${p.y}` })],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Squares"');
    expect(svg).not.toContain("<style");
    expect(svg).not.toMatch(/\sstyle="/);
    expect(svg.match(/<circle/g)?.length).toBe(5);
    // Each titled mark is a keyboard stop for its tooltip.
    expect(svg.match(/tabindex="0"/g)?.length).toBe(5);
    expect(svg).toContain("<title>y 16</title>");
    // Plot's named layers get a role: ARIA allows aria-label only with one (axe: aria-prohibited-attr).
    expect(svg).toMatch(/<g[^>]*aria-label="dot"/);
    expect(svg).not.toMatch(/<g(?![^>]*\srole=)[^>]*\saria-label=/);
  });

  it("leaves busy charts' marks out of the tab order (their table view serves the keyboard)", () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ x: i, y: i }));
    const svg = renderChart({ description: "Many", marks: [Plot.dot(many, { x: "x", y: "y", title: () => "t" })] });
    expect(svg).not.toContain("tabindex");
  });
});
