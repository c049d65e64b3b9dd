import type { Child } from "hono/jsx";
import { type Capability, can, type Principal } from "../access/principal.ts";
import { filtersOf, href, type Params } from "./url.ts";

/*
 * The page frame: navigation (only what the role may open), who is signed in, sign-out, and a
 * skip link. No inline scripts or styles: the CSP forbids them.
 */

interface NavItem {
  readonly path: string;
  readonly label: string;
  readonly needs: Capability;
}

export const NAV: readonly NavItem[] = [
  { path: "/overview", label: "Overview", needs: "aggregates" },
  { path: "/readiness", label: "Fidelity vs readiness", needs: "aggregates" },
  { path: "/retention", label: "Fidelity vs retention", needs: "aggregates" },
  { path: "/qi", label: "Fidelity over time", needs: "aggregates" },
  { path: "/therapists", label: "Therapists", needs: "aggregates" },
  { path: "/cohorts", label: "Cohort comparison", needs: "aggregates" },
  { path: "/sessions", label: "Sessions", needs: "aggregates" },
  { path: "/agreement", label: "Coder agreement", needs: "aggregates" },
  { path: "/pipeline", label: "Pipeline health", needs: "pipeline" },
  { path: "/audit", label: "Access audit", needs: "audit" },
  { path: "/import", label: "Import", needs: "import" },
];

export function Layout(props: {
  readonly title: string;
  readonly principal: Principal | null;
  readonly current?: string;
  readonly params?: Params;
  readonly children: Child;
}) {
  const { principal } = props;
  const filters = filtersOf(props.params ?? {});
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Evoke`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            Evoke
          </a>
          {principal === null ? null : (
            <nav aria-label="Pages">
              <ul>
                {NAV.filter((item) => can(principal, item.needs)).map((item) => (
                  <li>
                    <a
                      href={item.needs === "aggregates" ? href(item.path, filters) : item.path}
                      aria-current={item.path === props.current ? "page" : undefined}
                    >
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {principal === null ? null : (
            <form class="who" method="post" action="/sign-out">
              <span>
                Signed in as <strong>{principal.name}</strong> ({principal.role}
                {principal.programmeIds === null ? ", all programmes" : `, ${principal.programmeIds.join(", ")}`})
              </span>
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer>
          <p>
            Fidelity scored with MITI 4.2.1 (thresholds from the manual). Automatic codes are estimates; human ratings
            count where they exist. <a href="/help/data">Getting data in</a> · <a href="/api/v1/openapi.json">API</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
