/*
 * The closed set of ways a dashboard request can fail, each an RFC 9457 problem type. The API
 * answers with the problem document; pages render the same title and detail as HTML.
 */

export const PROBLEM_TYPES = {
  "invalid-query": {
    status: 400,
    title: "A query parameter is not valid",
    fix: "Correct each parameter listed in errors[]; GET /api/v1/openapi.json lists what each endpoint takes.",
  },
  "invalid-form": {
    status: 400,
    title: "A form field is not valid",
    fix: "Correct each field listed in errors[] and submit again.",
  },
  unauthorized: {
    status: 401,
    title: "A valid dashboard token is required",
    fix: "Send Authorization: Bearer <secret> with a token from DASHBOARD_TOKENS, or sign in at /sign-in.",
  },
  forbidden: {
    status: 403,
    title: "Your role does not allow this",
    fix: "Ask whoever runs Evoke for a token with the role named in detail.",
  },
  "cross-site": {
    status: 403,
    title: "The form was not sent from this dashboard",
    fix: "Submit the form from the dashboard's own pages.",
  },
  "not-found": {
    status: 404,
    title: "Not found",
    fix: "Check the address; programmes and sessions outside your token's programmes are not found either.",
  },
  "method-not-allowed": { status: 405, title: "Method not allowed", fix: "See the Allow header." },
  "not-acceptable": {
    status: 406,
    title: "This endpoint has no CSV form",
    fix: "Leave out format=csv: the answer is not a table.",
  },
  internal: {
    status: 500,
    title: "The dashboard could not answer",
    fix: "Retry; if it persists, give the requestId to whoever runs Evoke.",
  },
  unavailable: {
    status: 503,
    title: "A service the answer needs is unavailable",
    fix: "Retry after Retry-After seconds.",
  },
} as const satisfies Record<string, { status: number; title: string; fix: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export interface FieldError {
  /** The parameter or field, e.g. "from" or "cohort[1].programme". */
  readonly field: string;
  readonly reason: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

/** A request failure with everything its response needs. Thrown anywhere, mapped in one onError. */
export class ProblemError extends Error {
  readonly slug: ProblemSlug;
  readonly detail: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    slug: ProblemSlug,
    detail: string,
    options: { errors?: readonly FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(`${slug}: ${detail}`);
    this.name = "ProblemError";
    this.slug = slug;
    this.detail = detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return PROBLEM_TYPES[this.slug].status;
  }

  document(instance?: string): ProblemDocument {
    return {
      type: `/problems/${this.slug}`,
      title: PROBLEM_TYPES[this.slug].title,
      status: this.status,
      detail: this.detail,
      ...(this.errors === undefined ? {} : { errors: this.errors }),
      ...(instance === undefined ? {} : { instance }),
    };
  }
}

export const notFound = (what: string) => new ProblemError("not-found", `${what} was not found.`);
