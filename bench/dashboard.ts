/**
 * The dashboard's server time and page weight at the scale of the analytics benchmark (the
 * organisation of support/organisation.ts: 50 programmes, 1,000 therapists, 200,000 clients,
 * 2,000,000 sessions, 1,000,000 coded). Every page and API endpoint, for a director scoped to one
 * programme (prg_7) and for a director of the whole organisation: one warm-up, then `runs`
 * sequential requests through `app.request()` (in-process, so the time is the server's: routing,
 * access, queries, rendering), then one request over real HTTP for the bytes on the wire.
 *
 *   pnpm bench:dashboard [runs=20] [fresh]
 *
 * Reuses the organisation in evoke_bench_analytics when a complete load is there (loading takes
 * minutes; `pnpm bench:analytics 20 keep` leaves one), else loads it and keeps it; `fresh`
 * reloads. Targets: p95 < 300 ms for each case; each page < 500 kB transferred, counting its
 * stylesheet and script (each page loads them once).
 */
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { type DashboardToken, infrastructureConfig, loadConfig, Secret } from "@evoke/config";
import { createDashboardApp } from "@evoke/dashboard";
import { connectDatabase, withDatabase } from "@evoke/db";
import { provisionInfrastructure, silentProgress } from "@evoke/infra";
import { createLogger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import { describeOrganisation, loadOrganisation } from "./support/organisation.ts";

const args = process.argv.slice(2);
const runs = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 20);
const fresh = args.includes("fresh");
const AS_OF = new Date("2026-01-01T00:00:00Z");
const P95_TARGET_MS = 300;
const PAGE_TARGET_BYTES = 500_000;
const ASSETS = ["/assets/app.css", "/assets/app.js"] as const;

// In the generated organisation client c is in programme c % 50 + 1 and therapist t in programme
// (t - 1) % 50 + 1, so client 6's first (coded) session and therapist 7 are both in prg_7.
const PROGRAMME = "prg_7";
const THERAPIST = "thr_7";
const SESSION = "ses_6_0";

const PAGES = [
  "/overview",
  "/readiness",
  "/retention",
  "/qi",
  "/therapists",
  `/therapists/${THERAPIST}`,
  "/cohorts",
  "/sessions",
  `/sessions/${SESSION}`,
  "/pipeline",
];
const API = [
  "/api/v1/programmes",
  `/api/v1/programmes/${PROGRAMME}/summary`,
  "/api/v1/overview",
  "/api/v1/fidelity?by=therapist",
  "/api/v1/sessions",
  `/api/v1/sessions/${SESSION}`,
  "/api/v1/associations",
  "/api/v1/retention",
  "/api/v1/qi-series",
  "/api/v1/cohorts/compare?c1.name=GP&c1.referral=gp&c2.name=Court&c2.referral=court",
  "/api/v1/pipeline",
  "/api/v1/sessions?format=csv",
];

const programmeDirector: DashboardToken = {
  name: "bench-programme",
  secret: new Secret("bench-programme-director-secret"),
  role: "director",
  programmeIds: [PROGRAMME],
};
const organisationDirector: DashboardToken = {
  name: "bench-organisation",
  secret: new Secret("bench-organisation-director-secret"),
  role: "director",
  programmeIds: null,
};
const SCOPES = [
  { label: PROGRAMME, token: programmeDirector },
  { label: "organisation", token: organisationDirector },
] as const;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

interface Wire {
  /** The body as sent, before any decoding. */
  readonly sent: number;
  /** The body decoded. */
  readonly raw: number;
  /** The decoded body gzipped (what `compress()` would send). */
  readonly gzip: number;
  readonly encoding: string;
}

/** One GET over real HTTP, counting the body's bytes as they arrive (node:http does not decode). */
function overHttp(origin: string, path: string, headers: Record<string, string>): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, origin), { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const sent = Buffer.concat(chunks);
        const encoding = response.headers["content-encoding"] ?? "identity";
        const decoded =
          encoding === "gzip"
            ? gunzipSync(sent)
            : encoding === "br"
              ? brotliDecompressSync(sent)
              : encoding === "deflate"
                ? inflateSync(sent)
                : sent;
        if (response.statusCode !== 200) {
          const body = decoded.toString("utf8").slice(0, 300);
          reject(new Error(`GET ${path} over HTTP answered ${response.statusCode}: ${body}`));
          return;
        }
        resolve({ sent: sent.length, raw: decoded.length, gzip: gzipSync(decoded).length, encoding });
      });
    });
    request.on("error", reject);
    request.end();
  });
}

const config = loadConfig(infrastructureConfig);
const infrastructure = await provisionInfrastructure(config, silentProgress);
const url = withDatabase(infrastructure.postgres.url, "evoke_bench_analytics");

try {
  console.log(describeOrganisation(await loadOrganisation(url, { keep: !fresh })));
  // The pool size of the dashboard's server (dashboard/src/server.ts).
  const database = connectDatabase(url, { max: 10, applicationName: "bench-dashboard" });
  const options = {
    db: database.db,
    pipeline: { consumerLag: null, deadLetters: null },
    now: () => AS_OF,
    tokens: [programmeDirector, organisationDirector],
    logger: createLogger({ name: "bench-dashboard", level: "silent" }),
  };
  // The targets are judged on the uncached server (every request computes its answer); the
  // cached column is what a reader repeating a question within DASHBOARD_CACHE_SECONDS gets.
  const app = createDashboardApp({ ...options, cacheTtlMs: 0 });
  const cachedApp = createDashboardApp({ ...options, cacheTtlMs: 600_000 });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    started.once("error", reject);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    const assets = await Promise.all(ASSETS.map((path) => overHttp(origin, path, { "Accept-Encoding": "gzip" })));
    const cases = SCOPES.flatMap(({ label, token }) =>
      [...PAGES.map((path) => ({ path, page: true })), ...API.map((path) => ({ path, page: false }))].map((entry) => ({
        ...entry,
        label: `${label}: ${entry.path}`,
        token,
      })),
    );
    const width = Math.max(...cases.map((entry) => entry.label.length));
    const encodings = new Set<string>();
    const rows: { label: string; p95: number; sent: number; page: boolean }[] = [];

    console.log(
      `${runs} sequential requests each after one warm-up, through app.request(), answer cache off; ` +
        "cached: the p50 with the answer cache on; bytes from one request over HTTP",
    );
    console.log(
      `pages count their HTML plus ${ASSETS.map((path, i) => `${path} (${assets[i]?.raw.toLocaleString("en")} B)`).join(" and ")}`,
    );
    console.log(
      `${"case".padEnd(width)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"cached".padStart(7)} ${"raw B".padStart(10)} ${"gzip B".padStart(9)}`,
    );
    for (const { path, page, label, token } of cases) {
      const headers = { Authorization: `Bearer ${token.secret.reveal()}`, "Accept-Encoding": "gzip" };
      const once = async (server = app) => {
        const response = await server.request(path, { headers });
        const body = await response.text();
        if (response.status !== 200) {
          throw new Error(`GET ${path} as ${token.name} answered ${response.status}: ${body.slice(0, 300)}`);
        }
      };
      await once();
      const times: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        await once();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      await once(cachedApp);
      const cachedTimes: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        await once(cachedApp);
        cachedTimes.push(performance.now() - started);
      }
      cachedTimes.sort((a, b) => a - b);
      const wire = await overHttp(origin, path, headers);
      encodings.add(wire.encoding);
      const parts = page ? [wire, ...assets] : [wire];
      const sum = (pick: (part: Wire) => number) => parts.reduce((total, part) => total + pick(part), 0);
      const [p50, p95, raw, gzip, sent] = [
        percentile(times, 0.5),
        percentile(times, 0.95),
        sum((part) => part.raw),
        sum((part) => part.gzip),
        sum((part) => part.sent),
      ];
      rows.push({ label, p95, sent, page });
      const flags = [
        ...(p95 >= P95_TARGET_MS ? ["p95 over target"] : []),
        ...(page && sent > PAGE_TARGET_BYTES ? ["page over 500 kB"] : []),
      ];
      console.log(
        `${label.padEnd(width)} ${p50.toFixed(0).padStart(7)} ${p95.toFixed(0).padStart(7)} ` +
          `${percentile(cachedTimes, 0.5).toFixed(0).padStart(7)} ` +
          `${raw.toLocaleString("en").padStart(10)} ${gzip.toLocaleString("en").padStart(9)}` +
          (flags.length > 0 ? `  ${flags.join(", ")}` : ""),
      );
    }

    const compressed = [...encodings].some((encoding) => encoding !== "identity");
    console.log(
      compressed
        ? `transferred: the compressed bytes (the app answered with Content-Encoding ${[...encodings].join(", ")})`
        : "transferred: raw (the app sends no Content-Encoding); gzip is what hono's compress() would send",
    );
    const missing = rows.filter((row) => row.p95 >= P95_TARGET_MS || (row.page && row.sent > PAGE_TARGET_BYTES));
    console.log(
      `${rows.length - missing.length} of ${rows.length} cases meet the targets ` +
        `(p95 < ${P95_TARGET_MS} ms; pages < 500 kB transferred)` +
        (missing.length > 0 ? `; missing: ${missing.map((row) => row.label).join(", ")}` : ""),
    );
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
  }
} finally {
  await infrastructure.release();
}
