import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBrokerJars, REPO_ROOT } from "@evoke/infra";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import "../setup/provided-context.ts";
import { freePort, isolatedInfrastructure, runInfraCli } from "../support/cli.ts";

/*
 * Each bad situation the foundation promises to explain in one clear line: what happened and
 * what to do, exit code 1, and no stack trace.
 */

async function failsClearly(env: Record<string, string>): Promise<string> {
  const run = runInfraCli(["start"], env);
  const { code } = await run.exit;
  expect(code).toBe(1);
  expect(run.stderr()).toMatch(/✖ /);
  expect(run.stderr()).not.toMatch(/\n\s+at /);
  return run.stderr();
}

describe("npm start in bad situations", () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  // The suite's servers stand in for "the other side works", so each case fails on one thing.
  const workingKafka = () => inject("kafkaBrokers").join(",");
  const workingPostgres = () => inject("databaseUrl");

  beforeEach(async () => {
    sandbox = await isolatedInfrastructure();
  });

  afterEach(async () => {
    await runInfraCli(["down"], sandbox.env).exit;
    await sandbox.remove();
  });

  it("says which port is taken and how to choose another", async () => {
    const squatter: Server = createServer().listen(Number(sandbox.env.KAFKA_PORT), "127.0.0.1");
    await once(squatter, "listening");
    try {
      const stderr = await failsClearly({ ...sandbox.env, DATABASE_URL: workingPostgres() });
      expect(stderr).toContain(`Port ${sandbox.env.KAFKA_PORT} (KAFKA_PORT) is already in use by another program.`);
      expect(stderr).toContain("KAFKA_BROKERS=");
    } finally {
      squatter.close();
    }
  });

  it("says Java is missing and what to install", async () => {
    const stderr = await failsClearly({
      ...sandbox.env,
      DATABASE_URL: workingPostgres(),
      JAVA_HOME: join(sandbox.dataDir, "no-jdk-here"),
    });
    expect(stderr).toContain("Java was not found");
    expect(stderr).toContain("Install a JDK 17 or newer");
  });

  it("says the broker died during start-up, quoting its last log lines", async () => {
    // A stand-in JDK: answers -version and formats storage like Java 17, then dies at launch.
    const javaHome = join(sandbox.dataDir, "fake-jdk");
    await mkdir(join(javaHome, "bin"), { recursive: true });
    await writeFile(
      join(javaHome, "bin", "java"),
      [
        "#!/bin/sh",
        'case "$*" in',
        "  *-version*) echo 'openjdk version \"17.0.99\"' >&2; exit 0 ;;",
        "  *StorageTool*) exit 0 ;;",
        '  *) echo "Error occurred during initialization of VM: too small initial heap" >&2; exit 1 ;;',
        "esac",
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const stderr = await failsClearly({ ...sandbox.env, DATABASE_URL: workingPostgres(), JAVA_HOME: javaHome });
    expect(stderr).toContain("The Kafka broker exited during start-up.");
    expect(stderr).toContain("too small initial heap");
  });

  it("says DATABASE_URL does not answer, without echoing its password", async () => {
    const stderr = await failsClearly({
      ...sandbox.env,
      KAFKA_BROKERS: workingKafka(),
      DATABASE_URL: `postgres://evoke:hunter2@127.0.0.1:${await freePort()}/evoke`,
    });
    expect(stderr).toContain("PostgreSQL at DATABASE_URL did not answer");
    expect(stderr).toContain("unset DATABASE_URL");
    expect(stderr).not.toContain("hunter2");
  });

  it("says KAFKA_BROKERS does not answer", async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const stderr = await failsClearly({ ...sandbox.env, KAFKA_BROKERS: address, DATABASE_URL: workingPostgres() });
    expect(stderr).toContain(`Kafka at KAFKA_BROKERS=${address} did not answer`);
  });

  it("names every malformed variable at once", async () => {
    const stderr = await failsClearly({ ...sandbox.env, KAFKA_PORT: "ninety", DATABASE_URL: "mysql://nope" });
    expect(stderr).toContain('KAFKA_PORT: must be a port number between 1 and 65535 (got "ninety")');
    expect(stderr).toContain("DATABASE_URL: must be a URL of the form postgres://");
  });
});

describe("fetching the broker jars when Maven cannot resolve them", () => {
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), "evoke-jars-"));
  });

  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it("says Maven is missing and what to install", async () => {
    const pom = join(workDir, "pom.xml");
    await writeFile(pom, await readFile(join(REPO_ROOT, "infra", "kafka", "pom.xml"), "utf8"));
    const path = process.env.PATH;
    process.env.PATH = workDir; // a PATH with no mvn on it
    try {
      await expect(ensureBrokerJars({ pom, libDir: join(workDir, "lib") })).rejects.toMatchObject({
        message: "Maven (mvn) was not found: it downloads the Kafka broker jars from Maven Central.",
        hint: expect.stringContaining("sudo apt install maven"),
      });
    } finally {
      process.env.PATH = path;
    }
  });

  it("names the artifact Maven could not resolve and leaves no half-filled lib folder", async () => {
    const pom = join(workDir, "pom.xml");
    const realPom = await readFile(join(REPO_ROOT, "infra", "kafka", "pom.xml"), "utf8");
    await writeFile(pom, realPom.replace(/<kafka\.version>[^<]+</, "<kafka.version>0.0.0-no-such-release<"));
    const libDir = join(workDir, "lib");

    const failure = ensureBrokerJars({ pom, libDir });

    await expect(failure).rejects.toThrow(
      /Maven could not fetch Apache Kafka 0\.0\.0-no-such-release from Maven Central: .*kafka_2\.13/,
    );
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining("~/.m2/settings.xml") });
    await expect(readFile(join(libDir, ".pom-sha256"), "utf8")).rejects.toThrow(/ENOENT/);
  });
});
