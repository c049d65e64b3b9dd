import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { REPO_ROOT } from "@evoke/infra";
import type { Kafka } from "@evoke/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";
import "../setup/provided-context.ts";
import { inject } from "vitest";

const FIXTURE = join(REPO_ROOT, "test", "fixtures", "consume-until-signal.ts");

describe("the consumer runner in a real process", () => {
  let kafka: Kafka;
  let topics: TestTopics;

  beforeAll(async () => {
    kafka = testKafka("signals");
    topics = await createTestTopics(kafka, "signals");
  });

  afterAll(async () => {
    await topics?.drop();
  });

  it.each(["SIGTERM", "SIGINT"] as const)("leaves its group and exits 0 on %s", async (signal) => {
    const groupId = uniqueName("test-signal");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", FIXTURE, inject("kafkaBrokers").join(","), topics.names[0] ?? "", groupId],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
    });
    const exited = once(child, "exit");
    await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain("joined");

    child.kill(signal);
    const [code] = await exited;

    expect(code).toBe(0);
    expect(output).toContain("stopped");
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [group] = (await admin.describeGroups([groupId])).groups;
      // "Empty": the member left on its way out instead of timing out of the group.
      expect(group?.state).toBe("Empty");
      expect(group?.members).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
