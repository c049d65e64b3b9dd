import {
  BEHAVIOUR_COUNTS,
  COUNT_RATE_MINUTES,
  GLOBAL_RATINGS,
  type SessionCodingDetail,
  SUMMARY_SCORES,
  type SummaryScore,
} from "@evoke/analytics";
import type { UtteranceCode } from "@evoke/db";
import { raw } from "hono/html";
import { tableOf } from "../api/endpoint.ts";
import { sessionsEndpoint } from "../api/fidelity-endpoints.ts";
import { load } from "../api/router.ts";
import { sessionEndpoint } from "../api/session-endpoints.ts";
import { SCORE_NAMES, scoreBullet, thresholdOf } from "../charts/charts.ts";
import { decimal } from "../charts/format.ts";
import type { Table } from "../http/csv.ts";
import { DataTable, FilterBar } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { filtersOf, href } from "./url.ts";

const PAGE_SIZE = 50;
const GLOBALS_AND_SUMMARIES = [...SUMMARY_SCORES.slice(0, 2), ...GLOBAL_RATINGS, ...SUMMARY_SCORES.slice(2)] as const;

/** Automatic against human on each global and summary score, and each behaviour as a rate per 20 minutes. */
function comparisonTable(
  automatic: SessionCodingDetail,
  human: SessionCodingDetail,
  durationMinutes: number | null,
): Table {
  const difference = (a: number | null, h: number | null) => (a === null || h === null ? null : a - h);
  const rate = (count: number, minutes: number | null) =>
    minutes === null || minutes <= 0 ? null : (count * COUNT_RATE_MINUTES) / minutes;
  return {
    columns: ["Measure", "Automatic", "Human", "Automatic − human"],
    rows: [
      ...GLOBALS_AND_SUMMARIES.map((measure) => {
        const a = automatic.scores[measure];
        const h = human.scores[measure];
        return [measure, a, h, difference(a, h)];
      }),
      ...BEHAVIOUR_COUNTS.map((measure) => {
        const a = rate(automatic.scores[measure], durationMinutes);
        const h = rate(human.scores[measure], human.segmentMinutes);
        return [`${measure} per ${COUNT_RATE_MINUTES} min`, a, h, difference(a, h)];
      }),
    ],
  };
}

export async function SessionsPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const offset = Math.max(0, Number(params.offset ?? 0) || 0);
  const query = { ...filtersOf(params), limit: String(PAGE_SIZE), offset: String(offset) } as Record<string, string>;
  const page = await load(deps, principal, sessionsEndpoint, query);
  const filters = filtersOf(params);
  return (
    <Layout title="Sessions" principal={principal} current="/sessions" params={params}>
      <FilterBar action="/sessions" params={params} programmes={programmes} therapists={therapists} />
      <p>
        {page.total} coded sessions; showing {page.sessions.length === 0 ? 0 : offset + 1}–
        {offset + page.sessions.length}.{" "}
        <a href={href("/api/v1/sessions", { ...query, format: "csv" })} download>
          Download CSV
        </a>
      </p>
      <DataTable
        table={tableOf(sessionsEndpoint, page)}
        links={{ 0: (row) => `/sessions/${encodeURIComponent(String(row[0]))}` }}
      />
      <nav class="pager" aria-label="Pages of sessions">
        {offset > 0 ? (
          <a href={href("/sessions", { ...filters, offset: String(Math.max(0, offset - PAGE_SIZE)) })}>Newer</a>
        ) : null}
        {offset + PAGE_SIZE < page.total ? (
          <a href={href("/sessions", { ...filters, offset: String(offset + PAGE_SIZE) })}>Older</a>
        ) : null}
      </nav>
    </Layout>
  );
}

const CODE_NAMES: Record<string, string> = {
  GI: "Giving information",
  Persuade: "Persuade",
  PersuadeWithPermission: "Persuade with permission",
  Q: "Question",
  SR: "Simple reflection",
  CR: "Complex reflection",
  AF: "Affirm",
  Seek: "Seeking collaboration",
  EA: "Emphasising autonomy",
  Confront: "Confront",
  change: "Change talk",
  sustain: "Sustain talk",
  neutral: "Neutral",
};

function codeLabel(code: UtteranceCode | undefined): string {
  if (code === undefined) return "not coded";
  const label = code.miti ?? code.category;
  return `${label}${code.reflection === undefined || code.miti !== undefined ? "" : ` (${code.reflection})`}`;
}

/** Consecutive utterances of one speaker form a volley (MITI 4.2.1 counts behaviours per volley). */
function volleys<T extends { speaker: string }>(items: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]?.speaker === item.speaker) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

export async function SessionPage({ deps, principal }: PageContext, sessionId: string) {
  const session = await load(deps, principal, sessionEndpoint, {}, { sessionId });
  const counting = session.codings.find((coding) => coding.counts) ?? session.codings[0];
  const automatic = session.codings.find((coding) => coding.kind === "automatic");
  const human = session.codings.find((coding) => coding.kind === "human");
  const codes = automatic?.utterances ?? [];
  const lines = session.transcript?.utterances ?? null;
  const items = (lines ?? codes).map((_, index) => ({
    index,
    speaker: lines?.[index]?.speaker ?? codes[index]?.speaker ?? "therapist",
    text: lines?.[index]?.text ?? null,
    code: codes[index],
  }));
  const scoreValue = (score: SummaryScore) => counting?.scores[score] ?? null;
  return (
    <Layout title={`Session ${sessionId}`} principal={principal} current="/sessions">
      <dl class="kpis">
        <div>
          <dt>Programme</dt>
          <dd>{session.programmeId ?? "–"}</dd>
        </div>
        <div>
          <dt>Therapist</dt>
          <dd>{session.therapistName ?? session.therapistId ?? "–"}</dd>
        </div>
        <div>
          <dt>Client (pseudonymous)</dt>
          <dd>{session.clientId ?? "–"}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>{session.sessionTime?.slice(0, 16).replace("T", " ") ?? "–"}</dd>
        </div>
        <div>
          <dt>Counting coding</dt>
          <dd>
            {counting === undefined
              ? "not coded yet"
              : counting.kind === "human"
                ? `human rating by ${counting.coderId ?? "?"}`
                : `automatic, model ${counting.modelVersion ?? "?"}`}
          </dd>
        </div>
      </dl>
      <section class="panel" aria-labelledby="scores-title">
        <h2 id="scores-title">Summary scores against the thresholds</h2>
        <div class="bullets">
          {SUMMARY_SCORES.map((score) => {
            const threshold = thresholdOf(score);
            const value = scoreValue(score);
            return (
              <div class="bullet">
                <h3>
                  {SCORE_NAMES[score]}: {decimal(value)}{" "}
                  <span class="verdict">
                    {value === null
                      ? "no data"
                      : value >= threshold.good
                        ? "good"
                        : value >= threshold.fair
                          ? "fair"
                          : "below fair"}
                  </span>
                </h3>
                {raw(
                  scoreBullet(
                    score,
                    value,
                    `${SCORE_NAMES[score]} ${decimal(value)} against fair ${threshold.fair} and good ${threshold.good}`,
                  ),
                )}
              </div>
            );
          })}
        </div>
      </section>
      {automatic !== undefined && human !== undefined ? (
        <section class="panel" aria-labelledby="compare-title">
          <h2 id="compare-title">Automatic against human</h2>
          <DataTable table={comparisonTable(automatic, human, session.durationMinutes)} />
          <p class="muted">
            The automatic coder is an estimate; where a human rating exists, it is the one that counts. Behaviour counts
            are per 20 minutes (the human coder rated a segment; the coder the whole session), so they compare.
          </p>
        </section>
      ) : null}
      <section class="panel" aria-labelledby="transcript-title">
        <h2 id="transcript-title">Coded transcript</h2>
        {!session.textShown ? (
          <p class="notice">Your role sees the codes but not the words (transcripts are health data).</p>
        ) : session.transcript?.textPurgedAt ? (
          <p class="notice">
            The text was removed on {session.transcript.textPurgedAt.slice(0, 10)} (retention limit); the codes remain.
          </p>
        ) : null}
        {items.length === 0 ? (
          <p>No transcript or automatic coding for this session.</p>
        ) : (
          <ol class="transcript">
            {volleys(items).map((volley) => (
              <li class={`volley ${volley[0]?.speaker}`}>
                <span class="speaker">{volley[0]?.speaker === "client" ? "Client" : "Therapist"}</span>
                <ul>
                  {volley.map((item) => (
                    <li>
                      <span
                        class={`code code-${(item.code?.miti ?? item.code?.category ?? "none").replaceAll(" ", "-")}`}
                        title={CODE_NAMES[item.code?.miti ?? item.code?.category ?? ""] ?? codeLabel(item.code)}
                      >
                        {codeLabel(item.code)}
                      </span>{" "}
                      {item.text ?? <span class="muted">(text not shown)</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
    </Layout>
  );
}
