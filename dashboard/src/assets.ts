import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Hono } from "hono";
import type { DashboardEnv } from "./env.ts";

/*
 * The stylesheet and the one small script, read once at start-up and served with an ETag. No
 * bundler, no CDN: the CSP allows only this origin.
 */

const ASSETS = {
  "app.css": "text/css; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
} as const;

export function assetRoutes(app: Hono<DashboardEnv>): void {
  for (const [name, type] of Object.entries(ASSETS)) {
    const body = readFileSync(new URL(`../static/${name}`, import.meta.url));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
    app.get(`/assets/${name}`, (c) => {
      if (c.req.header("If-None-Match") === etag) return c.body(null, 304);
      return c.body(body, 200, { "Content-Type": type, ETag: etag, "Cache-Control": "public, max-age=300" });
    });
  }
}
