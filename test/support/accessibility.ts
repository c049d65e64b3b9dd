import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AxeResults, Result } from "axe-core";
import type { Page } from "playwright-core";

/*
 * WCAG 2.1 A and AA checks with axe-core inside the page under test. Axe's source goes in
 * through the DevTools protocol (page.evaluate), not a <script> element: the dashboard's
 * Content-Security-Policy refuses inline scripts, and it should stay that strict under test.
 */

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let axeSource: Promise<string> | undefined;

function loadAxeSource(): Promise<string> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/** Axe's WCAG 2.1 AA violations on the page as it is now (open <details> count; closed ones are hidden). */
export async function accessibilityViolations(page: Page): Promise<Result[]> {
  const source = await loadAxeSource();
  await page.evaluate(source);
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(
        document,
        { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] },
      ),
    AXE_TAGS,
  );
  return results.violations;
}

/** One line per violation and element, for a failing test's message: rule, impact, help, where. */
export function describeViolations(violations: readonly Result[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact ?? "?"}): ${violation.help} at ${node.target.join(" ")}${
          node.failureSummary === undefined ? "" : ` — ${node.failureSummary.replaceAll("\n", " ")}`
        }`,
    ),
  );
}
