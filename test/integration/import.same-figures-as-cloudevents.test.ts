import { type RunningSink, startSink } from "@evoke/aggregation";
import {
  compareCohorts,
  fidelityByGroup,
  fidelityOutcomeAssociation,
  fidelitySeries,
  readinessChange,
  retentionByFidelityTier,
  sessionFidelity,
} from "@evoke/analytics";
import type { Database } from "@evoke/db";
import type { EvokeEvent } from "@evoke/events";
import type { ImportKind } from "@evoke/import";
import { createProducer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { structuredJson } from "@evoke/synth/send";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishEvents, waitForProcessed } from "../support/aggregation.ts";
import { AS_OF, analyticsClinic } from "../support/analytics-clinic.ts";
import { clinicAsCsv } from "../support/clinic-csv.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { totals } from "../support/history.ts";
import { createTestIngest, TEST_KEY, type TestIngest } from "../support/ingest.ts";
import { createTestTopics, type TestTopics } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * The same clinic (test/support/analytics-clinic.ts) arrives twice: once as CloudEvents
 * (POST /v1/events), once as the CSV files a clinic would export (POST /v1/import), each through
 * the real ingest app, a real broker and the aggregation sink into a PostgreSQL database of its
 * own. The dashboard's figures, computed by @evoke/analytics on each database, must be equal.
 * The automatic codings (the coding service's output, not an intake) go to both on the coded
 * topic, and the programmes (no CSV kind) as CloudEvents in both.
 */

interface Path {
  readonly ingest: TestIngest;
  readonly topics: TestTopics;
  readonly database: TestDatabase;
  readonly sink: RunningSink;
}

async function startPath(label: string): Promise<Path> {
  const ingest = await createTestIngest(label);
  const topics = await createTestTopics(ingest.kafka, `${label}-sink`, { count: 2, partitions: 3 });
  const database = await createTestDatabase(label);
  const [coded = "", deadLetter = ""] = topics.names;
  const sink = await startSink({
    kafka: ingest.kafka,
    db: database.db,
    topics: { sources: [ingest.topic, ingest.transcriptsTopic, coded], deadLetter },
    logger: createLogger({ name: "aggregation", level: "silent" }),
    groupId: uniqueName(label),
  });
  return { ingest, topics, database, sink };
}

async function post(path: Path, url: string, body: string, contentType: string): Promise<unknown> {
  const response = await path.ingest.app.request(url, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_KEY.secret}`, "content-type": contentType },
    body,
  });
  const answer = await response.json();
  expect(response.status, JSON.stringify(answer)).toBe(202);
  return answer;
}

async function publishCodings(path: Path, events: readonly EvokeEvent[]): Promise<void> {
  const producer = createProducer(path.ingest.kafka);
  await producer.connect();
  try {
    await publishEvents(producer, { intake: path.ingest.topic, coded: path.topics.names[0] ?? "" }, events);
  } finally {
    await producer.disconnect();
  }
}

/**
 * Numbers to 12 significant digits: PostgreSQL sums in the order rows happen to be stored,
 * which differs with the order events arrived, and that moves the last bit of a float.
 */
function rounded(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
  if (Array.isArray(value)) return value.map(rounded);
  if (value instanceof Date) return value;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rounded(inner)]));
  return value;
}

/** The figures the dashboard's pages show, from one database. */
async function figures(db: Database) {
  return {
    byProgramme: await fidelityByGroup(db, { by: "programme" }),
    byTherapist: await fidelityByGroup(db, { by: "therapist" }),
    sessions: await sessionFidelity(db, { orderBy: "technical" }),
    readiness: await readinessChange(db, {}),
    retention: await retentionByFidelityTier(db, { asOf: AS_OF }),
    association: await fidelityOutcomeAssociation(db, { outcome: { kind: "readinessChange" } }),
    cohorts: await compareCohorts(db, {
      cohorts: [
        { name: "GP referrals", filter: { referralSources: ["gp"] } },
        { name: "Self referrals", filter: { referralSources: ["self"] } },
      ],
      asOf: AS_OF,
    }),
    series: await fidelitySeries(db, { interval: "month", measure: { kind: "mean", score: "technical" } }),
  };
}

describe("a clinic imported as CSV files gives the same dashboard figures as sent as CloudEvents", () => {
  const events = analyticsClinic();
  const codings = events.filter((event) => event.type === "evoke.session.coded");
  const directory = events.filter((event) => event.type === "evoke.programme.registered");
  const intake = events.filter((event) => event.type !== "evoke.session.coded");
  let cloudEvents: Path;
  let csv: Path;

  beforeAll(async () => {
    cloudEvents = await startPath("same-figures-ce");
    csv = await startPath("same-figures-csv");
  });

  afterAll(async () => {
    for (const path of [cloudEvents, csv]) {
      await path?.sink.stop();
      await path?.ingest.close();
      await path?.topics.drop();
      await path?.database.drop();
    }
  });

  it("lands the same facts and figures in PostgreSQL", async () => {
    await post(
      cloudEvents,
      "/v1/events",
      `[${intake.map((event) => structuredJson(event)).join(",")}]`,
      "application/cloudevents-batch+json",
    );
    await publishCodings(cloudEvents, codings);

    await post(
      csv,
      "/v1/events",
      `[${directory.map((event) => structuredJson(event)).join(",")}]`,
      "application/cloudevents-batch+json",
    );
    let imported = directory.length;
    for (const [kind, file] of Object.entries(clinicAsCsv(intake)) as [ImportKind, string][]) {
      const report = (await post(csv, `/v1/import?kind=${kind}`, file, "text/csv")) as {
        rejectedRows: number;
        published: number;
      };
      expect(report.rejectedRows, kind).toBe(0);
      imported += report.published;
    }
    expect(imported).toBe(intake.length);
    await publishCodings(csv, codings);

    await waitForProcessed(cloudEvents.database.sql, events.length);
    await waitForProcessed(csv.database.sql, events.length);
    expect(await totals(csv.database.sql)).toEqual(await totals(cloudEvents.database.sql));
    const expected = await figures(cloudEvents.database.db);
    // Not a comparison of two empty answers: the clinic's hand-worked figures are there.
    expect(expected.byProgramme).toHaveLength(2);
    expect(expected.sessions.total).toBe(8);
    expect(rounded(await figures(csv.database.db))).toEqual(rounded(expected));
  });
});
