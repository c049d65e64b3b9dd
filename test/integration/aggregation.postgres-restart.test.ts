import { type RunningSink, startSink } from "@evoke/aggregation";
import { connectDatabase, type DatabaseConnection, ensureDatabase, migrateDatabase, withDatabase } from "@evoke/db";
import type { EvokeEvent } from "@evoke/events";
import { silentProgress, startEmbeddedPostgres, stopEmbeddedPostgres } from "@evoke/infra";
import { createProducer, type Kafka } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunks, processedCount, publishEvents, recordReference, waitForProcessed } from "../support/aggregation.ts";
import { freePort, isolatedInfrastructure } from "../support/cli.ts";
import { clinicHistory, shuffle } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { snapshot, totals } from "../support/history.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * The database goes away while events flow: the sink must hold its position, retry with
 * backoff, and once the server is back record everything exactly once. This suite runs a
 * PostgreSQL server of its own so it can stop and restart it.
 */

describe("aggregation while PostgreSQL restarts", () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  let postgresOptions: Parameters<typeof startEmbeddedPostgres>[0];
  let sinkUrl: string;
  let sinkConnection: DatabaseConnection;
  let kafka: Kafka;
  let topics: TestTopics;
  let reference: TestDatabase;
  let sink: RunningSink | undefined;
  let events: EvokeEvent[];

  const withSinkDatabase = async <T>(work: (connection: DatabaseConnection) => Promise<T>): Promise<T> => {
    const connection = connectDatabase(sinkUrl, { max: 1, applicationName: "test:restart-check" });
    try {
      return await work(connection);
    } finally {
      await connection.close();
    }
  };

  beforeAll(async () => {
    ({ events } = await clinicHistory(20));
    sandbox = await isolatedInfrastructure();
    postgresOptions = { dir: `${sandbox.dataDir}/postgres`, port: await freePort(), progress: silentProgress };
    const server = await startEmbeddedPostgres(postgresOptions);
    sinkUrl = withDatabase(server.url, "evoke_restart");
    await ensureDatabase(sinkUrl);
    await migrateDatabase(sinkUrl);
    sinkConnection = connectDatabase(sinkUrl, { max: 2, applicationName: "test:restart-sink" });
    reference = await createTestDatabase("restart_reference");
    await recordReference(reference.db, events);
    kafka = testKafka("aggregation-restart");
    topics = await createTestTopics(kafka, "aggregation-restart", { count: 3, partitions: 3 });
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    sink = await startSink({
      kafka,
      db: sinkConnection.db,
      topics: { sources: [intake, coded], deadLetter },
      logger: createLogger({ name: "aggregation", level: "silent" }),
      groupId: uniqueName("aggregation-restart"),
    });
  });

  afterAll(async () => {
    await sink?.stop();
    await sinkConnection?.close();
    await stopEmbeddedPostgres(postgresOptions).catch(() => undefined);
    await topics?.drop();
    await reference?.drop();
    await sandbox?.remove();
  });

  it("retries while the server is down and then records every event exactly once", async () => {
    const [intake = "", coded = ""] = topics.names;
    const producer = createProducer(kafka);
    await producer.connect();
    const [first = [], second = []] = chunks(shuffle([...events, ...events], 5), events.length);

    await publishEvents(producer, { intake, coded }, first);
    await expect.poll(() => withSinkDatabase(({ sql }) => processedCount(sql)), { timeout: 60_000 }).toBeGreaterThan(0);

    await stopEmbeddedPostgres(postgresOptions);
    await publishEvents(producer, { intake, coded }, second);
    // The sink is now failing to write and backing off, not skipping ahead.
    await expect.poll(() => sink?.stats.databaseRetries, { timeout: 30_000 }).toBeGreaterThan(2);

    await startEmbeddedPostgres(postgresOptions);
    await withSinkDatabase(({ sql }) => waitForProcessed(sql, events.length));
    await producer.disconnect();

    await withSinkDatabase(async ({ sql }) => {
      expect(await totals(sql)).toEqual(await totals(reference.sql));
      expect(await snapshot(sql)).toEqual(await snapshot(reference.sql));
    });
  });
});
