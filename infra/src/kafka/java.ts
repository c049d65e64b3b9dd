import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfraError } from "../errors.ts";

const execFileAsync = promisify(execFile);

/** Kafka 4.x brokers need Java 17. */
export const MINIMUM_JAVA = 17;

const NO_JAVA_HINT =
  "Install a JDK 17 or newer (Debian/Ubuntu: sudo apt install openjdk-17-jre-headless; macOS: brew install openjdk@17), " +
  "or use a broker you already run: KAFKA_BROKERS=host:9092 npm start.";

/** The java binary: `<javaHome>/bin/java` when JAVA_HOME is set, else `java` on the PATH. */
export function javaBinary(javaHome: string | undefined): string {
  return javaHome ? join(javaHome, "bin", "java") : "java";
}

/** The major version from `java -version` output ("17.0.15", or "1.8.0_392" for Java 8). */
export function parseJavaMajorVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (match === null) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

export async function checkJava(java: string): Promise<number> {
  let output: string;
  try {
    const { stdout, stderr } = await execFileAsync(java, ["-version"]);
    output = `${stderr}${stdout}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new InfraError(
        `Java was not found (${java}): the local Kafka broker needs Java ${MINIMUM_JAVA} or newer.`,
        NO_JAVA_HINT,
      );
    }
    throw new InfraError(`\`${java} -version\` failed: the local Kafka broker needs a working Java.`, NO_JAVA_HINT, {
      cause: error,
    });
  }
  const major = parseJavaMajorVersion(output);
  if (major === undefined || major < MINIMUM_JAVA) {
    throw new InfraError(
      `Java ${major ?? "(unknown version)"} was found, but the local Kafka broker needs Java ${MINIMUM_JAVA} or newer.`,
      `Set JAVA_HOME to a JDK ${MINIMUM_JAVA}+, or ${NO_JAVA_HINT.charAt(0).toLowerCase()}${NO_JAVA_HINT.slice(1)}`,
    );
  }
  return major;
}
