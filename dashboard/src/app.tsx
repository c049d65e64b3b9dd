import { randomBytes } from "node:crypto";
import type { DashboardToken, OidcConfig } from "@evoke/config";
import type { Logger } from "@evoke/logger";
import { type Context, Hono } from "hono";
import { compress } from "hono/compress";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { OidcSignIn, readPending, writePending } from "./access/oidc.ts";
import { principalFromClaims } from "./access/oidc-claims.ts";
import { type Capability, can, type Principal } from "./access/principal.ts";
import { SESSION_COOKIE, type SessionLimits, SessionStore } from "./access/sessions.ts";
import { bearerSecret, createTokenCheck } from "./access/tokens.ts";
import { addAnnotation, deleteAnnotation, NewAnnotationSchema } from "./api/annotations.ts";
import { AnswerCache } from "./api/answer-cache.ts";
import { requireCapability } from "./api/capability.ts";
import type { DashboardDeps } from "./api/endpoint.ts";
import { parseQuery } from "./api/params.ts";
import { createApiRouter, load } from "./api/router.ts";
import { sessionEndpoint } from "./api/session-endpoints.ts";
import { assetRoutes } from "./assets.ts";
import { audited, auditNote, writeAuditRow } from "./audit/trail.ts";
import type { DashboardEnv } from "./env.ts";
import { PROBLEM_TYPES, ProblemError, type ProblemSlug } from "./http/problems.ts";
import { forwardImport, type IngestTarget } from "./import/forward.ts";
import { AgreementPage } from "./pages/agreement.tsx";
import { AuditPage } from "./pages/audit.tsx";
import { CohortsPage } from "./pages/cohorts.tsx";
import { type PageContext, pageContext } from "./pages/context.ts";
import { HelpPage } from "./pages/help.tsx";
import { ImportPage } from "./pages/import.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { PipelinePage } from "./pages/pipeline.tsx";
import { QiPage } from "./pages/qi.tsx";
import { ReadinessPage } from "./pages/readiness.tsx";
import { RetentionPage } from "./pages/retention.tsx";
import { SessionPage, SessionsPage } from "./pages/sessions.tsx";
import { ErrorPage, SignedInPage, SignInPage, SignInRefusedPage } from "./pages/sign-in.tsx";
import { TherapistPage, TherapistsPage } from "./pages/therapists.tsx";

/*
 * The dashboard: server-rendered pages and the /api/v1 JSON API in one Hono app. Everything but
 * the sign-in page, the static assets, the problem explanations and /healthz needs a token
 * (Bearer header) or a session cookie from signing in with one.
 */

export interface DashboardAppOptions extends Omit<DashboardDeps, "cache" | "knownModels"> {
  /** The coder models this installation has (describeModels()); default none: versions are shown without what they were trained on. */
  readonly knownModels?: DashboardDeps["knownModels"];
  readonly tokens: readonly DashboardToken[];
  readonly logger: Logger;
  /** Idle and absolute limits of browser sessions (default 30 minutes, 12 hours). */
  readonly sessionLimits?: SessionLimits;
  /** Sign-in with the organisation's identity provider; null or absent: tokens only. */
  readonly oidc?: OidcConfig | null;
  /** How long analytics answers are reused (default 30 s; 0: never). */
  readonly cacheTtlMs?: number;
  /** Set the Secure attribute on the session cookie (behind HTTPS). */
  readonly secureCookies?: boolean;
  /** Where the Import page sends CSV files (ingest's API and a key); null or absent: not set up. */
  readonly ingest?: IngestTarget | null;
}

/** Holds state, nonce and PKCE verifier while the browser is at the provider. */
const PENDING_COOKIE = "evoke_oidc";
const PENDING_PATH = "/sign-in/oidc";

const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * Writes (POST, DELETE) sent by a browser from another site are refused, on top of the
 * SameSite=Strict cookie. Browsers always send Origin (or Sec-Fetch-Site) with them; scripts
 * using a Bearer token may send neither and are not at risk (no ambient credentials).
 */
const refuseCrossSiteWrites = createMiddleware<DashboardEnv>(async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const origin = c.req.header("Origin");
    const site = c.req.header("Sec-Fetch-Site");
    const crossSite =
      (origin !== undefined && origin !== new URL(c.req.url).origin) ||
      (site !== undefined && site !== "same-origin" && site !== "none");
    if (crossSite) throw new ProblemError("cross-site", "This form can only be sent from the dashboard's own pages.");
  }
  await next();
});

/** Only same-site relative paths are followed after signing in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : "/overview";
}

export function createDashboardApp(options: DashboardAppOptions): Hono<DashboardEnv> {
  const { logger } = options;
  const deps: DashboardDeps = {
    db: options.db,
    pipeline: options.pipeline,
    now: options.now,
    knownModels: options.knownModels ?? [],
    cache: new AnswerCache({ ttlMs: options.cacheTtlMs ?? 30_000 }),
  };
  const checkToken = createTokenCheck(options.tokens);
  const sessions = new SessionStore(options.db, options.sessionLimits);
  const oidc = options.oidc ? new OidcSignIn(options.oidc) : null;
  const provider = options.oidc?.providerName;
  const sessionCookie = (c: Context<DashboardEnv>, secret: string) =>
    setCookie(c, SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: "Strict",
      secure: options.secureCookies ?? false,
      path: "/",
      maxAge: sessions.lifetimeSeconds,
    });
  const app = new Hono<DashboardEnv>();

  app.use(async (c, next) => {
    c.set("requestId", randomBytes(8).toString("hex"));
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        token: c.get("principal")?.name,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        // Sign-out's form is redirected to the provider's end_session_endpoint (CSP covers redirects).
        formAction: ["'self'", ...(options.oidc ? [options.oidc.issuer.origin] : [])],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      xFrameOptions: "DENY",
      // "same-origin", not "no-referrer": with no-referrer, browsers send "Origin: null" on form posts.
      referrerPolicy: "same-origin",
      crossOriginResourcePolicy: "same-origin",
    }),
  );
  app.use(refuseCrossSiteWrites);
  // Pages and CSV are text that compresses five- to tenfold.
  app.use(compress());

  assetRoutes(app);
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/problems/:slug", (c) => {
    const type = PROBLEM_TYPES[c.req.param("slug") as ProblemSlug];
    if (type === undefined) throw new ProblemError("not-found", "No such problem type.");
    return c.json({ status: type.status, title: type.title, fix: type.fix });
  });

  app.get("/sign-in", (c) =>
    c.html(<SignInPage next={safeNext(c.req.query("next"))} {...(provider === undefined ? {} : { provider })} />),
  );
  app.post("/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const next = safeNext(typeof form.next === "string" ? form.next : undefined);
    const principal = token === "" ? null : checkToken(token);
    if (principal === null) {
      logger.warn({ requestId: c.get("requestId") }, "sign-in refused");
      await writeAuditRow(options.db, c, auditNote("sign-in"), 401);
      return c.html(
        <SignInPage next={next} error="That token is not valid." {...(provider === undefined ? {} : { provider })} />,
        401,
      );
    }
    c.set("principal", principal);
    await writeAuditRow(options.db, c, auditNote("sign-in"), 303);
    sessionCookie(c, await sessions.open(principal));
    return c.redirect(next, 303);
  });
  if (oidc !== null && provider !== undefined) {
    const failed = async (c: Context<DashboardEnv>, next: string, error: string, status: 401 | 503) => {
      await writeAuditRow(options.db, c, auditNote("sign-in"), status, { name: null, kind: "oidc" });
      return c.html(<SignInPage next={next} error={error} provider={provider} />, status);
    };
    app.get(PENDING_PATH, async (c) => {
      const next = safeNext(c.req.query("next"));
      let started: Awaited<ReturnType<OidcSignIn["start"]>>;
      try {
        started = await oidc.start(next);
      } catch (error) {
        logger.warn({ requestId: c.get("requestId"), error: { name: (error as Error).name } }, "oidc discovery failed");
        return failed(c, next, `${provider} cannot be reached just now; try again in a minute.`, 503);
      }
      // Lax, not Strict: the provider's redirect back is a cross-site navigation.
      setCookie(c, PENDING_COOKIE, writePending(started.pending), {
        httpOnly: true,
        sameSite: "Lax",
        secure: options.secureCookies ?? false,
        path: PENDING_PATH,
        maxAge: 600,
      });
      return c.redirect(started.url.href, 303);
    });
    app.get(`${PENDING_PATH}/callback`, async (c) => {
      const read = readPending(getCookie(c, PENDING_COOKIE));
      // The cookie is the browser's to alter: its next page is checked again before it is followed.
      const pending = read === null ? null : { ...read, next: safeNext(read.next) };
      deleteCookie(c, PENDING_COOKIE, { path: PENDING_PATH });
      if (pending === null)
        return failed(c, "/overview", "That sign-in expired or was started elsewhere: try again.", 401);
      let completed: Awaited<ReturnType<OidcSignIn["finish"]>>;
      try {
        completed = await oidc.finish(new URL(c.req.url), pending);
      } catch (error) {
        const { name, code } = error as Error & { code?: string };
        logger.warn({ requestId: c.get("requestId"), error: { name, code } }, "oidc sign-in failed");
        return failed(c, pending.next, `${provider} did not sign you in: try again.`, 401);
      }
      const mapped = principalFromClaims(completed.claims, options.oidc as OidcConfig);
      if (!mapped.ok) {
        logger.warn({ requestId: c.get("requestId"), actor: mapped.actor }, "oidc sign-in refused");
        await writeAuditRow(options.db, c, auditNote("sign-in"), 403, { name: mapped.actor, kind: "oidc" });
        return c.html(<SignInRefusedPage reason={mapped.reason} provider={provider} />, 403);
      }
      c.set("principal", mapped.principal);
      await writeAuditRow(options.db, c, auditNote("sign-in"), 200);
      sessionCookie(c, await sessions.open(mapped.principal, completed.idToken));
      // A page, not a redirect: the browser's next request is then same-site and sends the Strict cookie.
      c.header("Refresh", `0; url=${pending.next}`);
      c.header("Cache-Control", "no-store");
      return c.html(<SignedInPage next={pending.next} />);
    });
  }
  app.post("/sign-out", async (c) => {
    const closed = await sessions.close(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    if (closed === null) return c.redirect("/sign-in", 303);
    c.set("principal", closed.principal);
    await writeAuditRow(options.db, c, auditNote("sign-out"), 303);
    const endSession =
      closed.principal.via === "oidc" && oidc !== null ? await oidc.endSessionUrl(closed.idToken) : null;
    return c.redirect(endSession?.href ?? "/sign-in", 303);
  });

  // Everything below needs a principal.
  app.use(async (c, next) => {
    const secret = bearerSecret(c.req.header("Authorization"));
    const principal =
      secret !== null ? checkToken(secret) : ((await sessions.find(getCookie(c, SESSION_COOKIE)))?.principal ?? null);
    if (principal === null) {
      // A wrong token is a failed sign-in; no credentials at all (a browser before signing in) is not.
      if (secret !== null) await writeAuditRow(options.db, c, auditNote("token.rejected"), 401);
      const detail =
        secret !== null
          ? "The token is not valid."
          : "No credentials: send Authorization: Bearer <token>, or sign in at /sign-in.";
      throw new ProblemError("unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer realm="evoke"' } });
    }
    c.set("principal", principal);
    await next();
  });

  app.route("/api/v1", createApiRouter(deps));

  const page =
    (render: (context: PageContext, c: Context<DashboardEnv>) => Promise<unknown>, needs: Capability = "aggregates") =>
    async (c: Context<DashboardEnv>) => {
      const principal = c.get("principal");
      requireCapability(principal, needs);
      const context = await pageContext(deps, principal, c.req.query());
      c.header("Cache-Control", "no-store");
      return c.html((await render(context, c)) as string);
    };

  app.get("/help/data", (c) => {
    c.header("Cache-Control", "no-store");
    return c.html(<HelpPage principal={c.get("principal")} />);
  });
  app.get("/", (c) => c.redirect(can(c.get("principal"), "aggregates") ? "/overview" : "/pipeline", 302));
  app.get(
    "/overview",
    page((context) => OverviewPage(context)),
  );
  app.get(
    "/readiness",
    page((context) => ReadinessPage(context)),
  );
  app.get(
    "/retention",
    page((context) => RetentionPage(context)),
  );
  app.get(
    "/qi",
    page((context) => QiPage(context)),
  );
  app.get(
    "/therapists",
    page((context) => TherapistsPage(context)),
  );
  app.get(
    "/therapists/:therapistId",
    page((context, c) => TherapistPage(context, c.req.param("therapistId") ?? "")),
  );
  app.get(
    "/cohorts",
    page((context) => CohortsPage(context)),
  );
  app.get(
    "/sessions",
    page((context) => SessionsPage(context)),
  );
  app.get(
    "/sessions/:sessionId",
    audited(options.db, "session.read"),
    page(async (context, c) => {
      const session = await load(
        deps,
        context.principal,
        sessionEndpoint,
        {},
        { sessionId: c.req.param("sessionId") ?? "" },
      );
      Object.assign(c.get("audit"), sessionEndpoint.audit?.subject?.(session));
      return SessionPage(context, session);
    }),
  );
  app.get(
    "/agreement",
    page((context) => AgreementPage(context)),
  );
  app.get(
    "/pipeline",
    page((context) => PipelinePage(context), "pipeline"),
  );
  app.get(
    "/audit",
    audited(options.db, "audit.read"),
    page((context) => AuditPage(context), "audit"),
  );

  // The Import page: the form, and its upload forwarded to ingest (the row report shown back).
  const ingest = options.ingest ?? null;
  app.get("/import", (c) => {
    requireCapability(c.get("principal"), "import");
    c.header("Cache-Control", "no-store");
    return c.html(<ImportPage principal={c.get("principal")} configured={ingest !== null} />);
  });
  app.post("/import", audited(options.db, "data.import"), async (c) => {
    const principal = c.get("principal");
    requireCapability(principal, "import");
    if (ingest === null) throw new ProblemError("not-found", "Import is not set up on this dashboard.");
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || typeof form.kind !== "string") {
      throw new ProblemError("invalid-form", "Choose the kind of file and a CSV file to upload.");
    }
    const outcome = await forwardImport(ingest, {
      kind: form.kind,
      file,
      dryRun: form.dryRun === "true",
      allOrNothing: form.allOrNothing === "true",
    });
    const { report } = outcome;
    if (report !== undefined) {
      // Who loaded how much, in counts: the file's kind is in the page, its rows never are.
      c.get("audit").details = {
        rows: report.rows,
        validRows: report.validRows,
        rejectedRows: report.rejectedRows,
        eventsSent: outcome.kind === "report" ? outcome.report.published : 0,
      };
    }
    c.header("Cache-Control", "no-store");
    return c.html(<ImportPage principal={principal} configured outcome={outcome} />);
  });

  // The annotation form on the QI page: add, then back to the chart.
  app.post("/annotations", audited(options.db, "annotation.add"), async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : undefined);
    const input = parseQuery(
      NewAnnotationSchema,
      { day: field("day"), label: field("label"), programmeId: field("programmeId") || null } as unknown as Record<
        string,
        string
      >,
      "invalid-form",
    );
    c.get("audit").programmeId = input.programmeId;
    await addAnnotation(deps, c.get("principal"), input);
    return c.redirect(safeNext(field("back") ?? "/qi"), 303);
  });
  app.post("/annotations/:annotationId/delete", audited(options.db, "annotation.delete"), async (c) => {
    const form = await c.req.parseBody();
    await deleteAnnotation(deps, c.get("principal"), c.req.param("annotationId"));
    return c.redirect(safeNext(typeof form.back === "string" ? form.back : "/qi"), 303);
  });

  app.notFound(() => {
    throw new ProblemError("not-found", "There is no page or endpoint at this address.");
  });

  app.onError((error, c) => {
    const problem =
      error instanceof ProblemError
        ? error
        : new ProblemError("internal", `Something went wrong (requestId ${c.get("requestId")}).`);
    if (!(error instanceof ProblemError)) {
      // Name and code only: a database error's message quotes the query's parameters (ids).
      const { name, code } = error as Error & { code?: string };
      const causeCode = (error as { cause?: { code?: string } }).cause?.code;
      logger.error(
        { requestId: c.get("requestId"), route: c.req.routePath, error: { name, code: code ?? causeCode } },
        "request failed",
      );
    }
    const isApi = c.req.path.startsWith("/api/") || c.req.header("Accept")?.includes("application/json") === true;
    if (isApi || c.req.method !== "GET") {
      if (!isApi && problem.slug === "unauthorized") return c.redirect("/sign-in", 303);
      return c.body(JSON.stringify(problem.document(c.get("requestId"))), problem.status as 400, {
        "Content-Type": PROBLEM_CONTENT_TYPE,
        ...problem.headers,
      });
    }
    if (problem.slug === "unauthorized") {
      return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search ?? ""))}`, 303);
    }
    const principal: Principal | null = c.get("principal") ?? null;
    return c.html(
      <ErrorPage
        status={problem.status}
        title={PROBLEM_TYPES[problem.slug].title}
        detail={problem.detail}
        principal={principal}
      />,
      problem.status as 400,
    );
  });

  return app;
}
