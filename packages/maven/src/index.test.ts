import { describe, expect, it } from "vitest";
import { MavenError, mavenFailure, runMaven } from "./index.ts";

describe("mavenFailure", () => {
  it("picks the first error line, which names the goal and the unresolved artifact", () => {
    const output = [
      "[INFO] Scanning for projects...",
      "[ERROR] Failed to execute goal on project x: Could not resolve dependencies for project dev.evoke:x:pom:1.0.0: Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9 in central",
      "[ERROR] ",
      "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
    ].join("\n");
    expect(mavenFailure(output)).toBe(
      "Failed to execute goal on project x: Could not resolve dependencies for project dev.evoke:x:pom:1.0.0: Could not find artifact org.apache.kafka:kafka_2.13:jar:9.9.9 in central",
    );
  });

  it("says so when Maven printed no error line", () => {
    expect(mavenFailure("[INFO] BUILD FAILURE")).toBe("no error message");
  });
});

describe("runMaven", () => {
  it("says Maven is missing, rather than failing, when there is no mvn on the PATH", async () => {
    const error = await runMaven(["--version"], { env: { PATH: "/nonexistent" } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MavenError);
    expect((error as MavenError).kind).toBe("missing");
  });
});
