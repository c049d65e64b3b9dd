import { rolesWith } from "../access/principal.ts";
import { type AnyEndpoint, ENDPOINTS } from "../api/endpoints.ts";
import { openApiDocument, queryProperties } from "../api/openapi.ts";
import { PROBLEM_TYPES } from "../http/problems.ts";

/*
 * docs/dashboard-api.md and docs/dashboard-openapi.json, generated from the endpoint
 * definitions (`pnpm run docs`; a unit test fails when they are stale).
 */

function parameters(definition: AnyEndpoint): string[] {
  return Object.entries(queryProperties(definition).properties).map(([name, property]) => {
    const values =
      property.enum === undefined ? "" : ` One of ${property.enum.map((value) => `\`${value}\``).join(", ")}.`;
    const fallback = property.default === undefined ? "" : ` Default \`${String(property.default)}\`.`;
    return `| \`${name}\` | ${(property.description ?? "").replaceAll("|", "\\|")}${values}${fallback} |`;
  });
}

export function dashboardApiGuide(): string {
  const sections = ENDPOINTS.map((definition) => {
    const rows = parameters(definition);
    const path = `/api/v1${definition.path.replaceAll(/:(\w+)/g, "{$1}")}`;
    return [
      `### ${definition.summary}`,
      "",
      `\`GET ${path}\`${definition.table === undefined ? "" : " · also `?format=csv`"} · roles: ${rolesWith(definition.capability, ", ")}`,
      "",
      definition.description,
      ...(definition.audit === undefined
        ? []
        : [
            "",
            `Audited: each call, refused ones included, leaves an access audit row (\`${definition.audit.action}\`).`,
          ]),
      "",
      ...(rows.length === 0 ? [] : ["| Parameter | Meaning |", "|---|---|", ...rows, ""]),
    ].join("\n");
  });
  const problems = Object.entries(PROBLEM_TYPES).map(
    ([slug, type]) => `| ${type.status} | \`/problems/${slug}\` | ${type.title} | ${type.fix} |`,
  );
  return `# Dashboard API (\`/api/v1\`)

Generated from the endpoint definitions by \`pnpm run docs\`; the machine-readable form is
[dashboard-openapi.json](dashboard-openapi.json) (also served at \`/api/v1/openapi.json\`).

## Access
Every request needs \`Authorization: Bearer <secret>\` with a token from \`DASHBOARD_TOKENS\`
(\`name:secret:role[:programmeId|programmeId...]\`). Roles: **director** (everything in its
programmes, transcripts included), **analyst** (aggregates and cohort tools, no transcript text),
**engineer** (pipeline health only). A token scoped to programmes never sees another: asking for
one answers 404, as for one that does not exist.

## Conventions
- Filters shared by most endpoints: \`programme\`, \`therapist\`, \`from\`, \`to\` (YYYY-MM-DD,
  inclusive; sessions in the period, clients enrolled in it). Blank parameters count as absent.
- Estimates come with their 95% interval and the count they rest on; \`null\` means no data (never 0).
- Tabular answers also come as CSV (\`?format=csv\`, RFC 4180, a header row).
- Associations are associations: clients who are readier to change also draw better MI.

## Endpoints

${sections.join("\n")}
### Add or remove a chart annotation

\`POST /api/v1/annotations\` with \`{"programmeId": "prg_x" | null, "day": "YYYY-MM-DD", "label": "…"}\`
(201 with its \`annotationId\`), \`DELETE /api/v1/annotations/{annotationId}\` (204). Directors
and analysts; organisation-wide notes (\`programmeId: null\`) need an unscoped token.

## Errors
Every failure is an RFC 9457 problem document (\`application/problem+json\`) whose \`errors[]\`
names each bad parameter and why.

| Status | Type | Title | What to do |
|---|---|---|---|
${problems.join("\n")}
`;
}

export function dashboardDocs(): [path: string, content: string][] {
  return [
    ["docs/dashboard-api.md", dashboardApiGuide()],
    ["docs/dashboard-openapi.json", `${JSON.stringify(openApiDocument(), null, 2)}\n`],
  ];
}
