import { createHash } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { INSTALL_MAVEN, MavenError, runMaven } from "@evoke/maven";
import { InfraError } from "../errors.ts";
import { KAFKA_HOME } from "../paths.ts";

export const BROKER_POM = join(KAFKA_HOME, "pom.xml");
export const BROKER_LIB_DIR = join(KAFKA_HOME, "lib");
/** Written last: the jars in lib/ match this pom.xml (a half-finished fetch has none). */
const MARKER = ".pom-sha256";

export interface BrokerJars {
  readonly libDir: string;
  readonly kafkaVersion: string;
  /** True when Maven ran in this call; false when the jars were already in place. */
  readonly fetched: boolean;
  readonly totalBytes: number;
}

async function pomDigest(pom: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(pom))
    .digest("hex");
}

async function kafkaVersion(pom: string): Promise<string> {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(await readFile(pom, "utf8"));
  return match?.[1] ?? "unknown";
}

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

/**
 * Makes sure infra/kafka/lib holds the broker's runtime classpath for the pinned version,
 * resolving it from Maven Central with `mvn dependency:copy-dependencies` when it does not.
 * The jars land in a temporary folder first and are renamed into place, so an interrupted
 * download never leaves a half classpath behind.
 */
export async function ensureBrokerJars(
  options: { readonly pom?: string; readonly libDir?: string } = {},
): Promise<BrokerJars> {
  const { pom = BROKER_POM, libDir = BROKER_LIB_DIR } = options;
  const digest = await pomDigest(pom);
  const version = await kafkaVersion(pom);
  const current = await readFile(join(libDir, MARKER), "utf8").catch(() => "");
  if (current.trim() === digest) {
    return {
      libDir,
      kafkaVersion: version,
      fetched: false,
      totalBytes: await directoryBytes(libDir),
    };
  }

  const staging = `${libDir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  try {
    await runMaven([
      "--file",
      pom,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${staging}`,
    ]);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof MavenError && error.kind === "missing") {
      throw new InfraError(
        "Maven (mvn) was not found: it downloads the Kafka broker jars from Maven Central.",
        `${INSTALL_MAVEN}, or use a broker you already run: KAFKA_BROKERS=host:9092 npm start.`,
      );
    }
    throw new InfraError(
      `Maven could not fetch Apache Kafka ${version} from Maven Central: ${error instanceof MavenError ? error.reason : String(error)}`,
      "Check the network and any proxy or mirror in ~/.m2/settings.xml, then run the command again; or set KAFKA_BROKERS to a broker you already run.",
      { cause: error },
    );
  }
  await writeFile(join(staging, MARKER), `${digest}\n`);
  await rm(libDir, { recursive: true, force: true });
  await rename(staging, libDir);
  return {
    libDir,
    kafkaVersion: version,
    fetched: true,
    totalBytes: await directoryBytes(libDir),
  };
}
