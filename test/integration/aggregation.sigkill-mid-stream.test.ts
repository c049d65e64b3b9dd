import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { EvokeEvent } from "@evoke/events";
import { REPO_ROOT } from "@evoke/infra";
import { createProducer, type Kafka } from "@evoke/kafka";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chunks, processedCount, publishEvents, recordReference, waitForProcessed } from "../support/aggregation.ts";
import { clinicHistory, shuffle } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { snapshot, totals } from "../support/history.ts";
import { createTestTopics, groupLag, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * The sink process is killed with SIGKILL (no shutdown code runs) three times while events are
 * being published, and restarted each time. Whatever batch was in flight (written but not
 * committed to the group, or neither) the final history must equal the reference exactly.
 */

const FIXTURE = join(REPO_ROOT, "test", "fixtures", "run-sink.ts");
const KILLS = 3;

describe("aggregation killed with SIGKILL mid-stream", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let reference: TestDatabase;
  let sinkDatabase: TestDatabase;
  let events: EvokeEvent[];
  const groupId = uniqueName("aggregation-kill");
  let running: ChildProcess | undefined;

  async function startSinkProcess(): Promise<ChildProcess> {
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        FIXTURE,
        inject("kafkaBrokers").join(","),
        sinkDatabase.url,
        groupId,
        intake,
        coded,
        deadLetter,
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    running = child;
    await expect.poll(() => output, { timeout: 60_000, message: "sink process did not start" }).toContain("running");
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    const [, signal] = await exited;
    expect(signal).toBe("SIGKILL");
  }

  beforeAll(async () => {
    ({ events } = await clinicHistory(40));
    kafka = testKafka("aggregation-kill");
    topics = await createTestTopics(kafka, "aggregation-kill", { count: 3, partitions: 3 });
    reference = await createTestDatabase("kill_reference");
    sinkDatabase = await createTestDatabase("kill_sink");
    await recordReference(reference.db, events);
  });

  afterAll(async () => {
    if (running?.exitCode === null) running.kill("SIGKILL");
    await topics?.drop();
    await reference?.drop();
    await sinkDatabase?.drop();
  });

  it("ends exactly in the reference state after three kills", async () => {
    const [intake = "", coded = ""] = topics.names;
    const producer = createProducer(kafka);
    await producer.connect();
    // Every event twice, shuffled, in one part per sink instance; each part is published in
    // small paced chunks, so the kill lands while events are still arriving.
    const parts = chunks(shuffle([...events, ...events], 2026), Math.ceil((2 * events.length) / (KILLS + 1)));
    const publishPaced = async (part: readonly EvokeEvent[]) => {
      for (const chunk of chunks(part, 20)) {
        await publishEvents(producer, { intake, coded }, chunk);
        await sleep(40);
      }
    };

    for (let round = 0; round < KILLS; round += 1) {
      const child = await startSinkProcess();
      const before = await processedCount(sinkDatabase.sql);
      const publishing = publishPaced(parts[round] ?? []);
      // Kill only once this instance is demonstrably writing, at a varying moment after.
      await expect.poll(() => processedCount(sinkDatabase.sql), { timeout: 60_000 }).toBeGreaterThan(before);
      await sleep(50 + round * 120);
      await kill(child);
      await publishing;
    }

    const last = await startSinkProcess();
    await publishPaced(parts[KILLS] ?? []);
    await waitForProcessed(sinkDatabase.sql, events.length);
    // Every message consumed and committed: no redelivered batch is still to land.
    await expect.poll(() => groupLag(kafka, groupId, [intake, coded]), { timeout: 60_000 }).toBe(0);
    await kill(last);
    await producer.disconnect();

    expect(await totals(sinkDatabase.sql)).toEqual(await totals(reference.sql));
    expect(await snapshot(sinkDatabase.sql)).toEqual(await snapshot(reference.sql));
    // Four sink processes started (tsx, a consumer group join each) and three kills: well over
    // the default minute when the rest of the suite shares the two cores.
  }, 240_000);
});
