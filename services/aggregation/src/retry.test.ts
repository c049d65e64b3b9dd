import { describe, expect, it } from "vitest";
import { errorCode, isTransient, retryTransient } from "./retry.ts";

class DrizzleLikeError extends Error {
  constructor(override readonly cause: unknown) {
    super("Failed query: insert into …");
  }
}

const postgresError = (code: string) => Object.assign(new Error("server said no"), { code });

describe("errorCode", () => {
  it("finds the driver's code under drizzle's wrapping", () => {
    expect(errorCode(postgresError("57P01"))).toBe("57P01");
    expect(errorCode(new DrizzleLikeError(postgresError("23514")))).toBe("23514");
    expect(errorCode(new Error("plain"))).toBeUndefined();
  });
});

describe("isTransient", () => {
  it("waits out connection loss and server restarts, not refusals", () => {
    for (const code of ["ECONNREFUSED", "CONNECTION_CLOSED", "08006", "57P01", "57P03", "40001"]) {
      expect(isTransient(new DrizzleLikeError(postgresError(code))), code).toBe(true);
    }
    for (const code of ["23514", "23505", "22021", "42P01"]) {
      expect(isTransient(new DrizzleLikeError(postgresError(code))), code).toBe(false);
    }
  });
});

describe("retryTransient", () => {
  it("retries a transient failure with growing delays until it succeeds", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryTransient(
      async () => {
        calls += 1;
        if (calls < 4) throw postgresError("ECONNREFUSED");
        return "done";
      },
      { isRunning: () => true, onRetry: (_attempt, _error, delayMs) => delays.push(delayMs), maxDelayMs: 400 },
    );
    expect(result).toBe("done");
    expect(delays).toEqual([100, 200, 400]);
  });

  it("gives up at once on a refusal, and on shutdown", async () => {
    let calls = 0;
    const refuse = async () => {
      calls += 1;
      throw postgresError("23514");
    };
    await expect(retryTransient(refuse, { isRunning: () => true })).rejects.toMatchObject({ code: "23514" });
    expect(calls).toBe(1);
    const down = async () => {
      calls += 1;
      throw postgresError("ECONNREFUSED");
    };
    await expect(retryTransient(down, { isRunning: () => false })).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(calls).toBe(2);
  });
});
