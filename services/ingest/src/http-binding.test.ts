import { describe, expect, it } from "vitest";
import { eventFromBinary, eventsInBody, locateInHeaders, modeOf, parseJson } from "./http-binding.ts";
import { ProblemError } from "./problems.ts";

function problemOf(run: () => unknown): { slug: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return { slug: error.slug, message: error.message };
    throw error;
  }
  throw new Error("expected a ProblemError");
}

describe("modeOf", () => {
  it.each([
    ["application/cloudevents+json", false, "structured"],
    ["application/cloudevents+json; charset=utf-8", false, "structured"],
    ["Application/CloudEvents-Batch+JSON", false, "batch"],
    ["application/x-ndjson", false, "ndjson"],
    ["application/json", true, "binary"],
    ["application/vnd.clinic+json", true, "binary"],
  ] as const)("%s (ce headers: %s) is %s mode", (contentType, binary, mode) => {
    expect(modeOf(contentType, binary)).toBe(mode);
  });

  it("explains that application/json needs ce-* headers", () => {
    expect(problemOf(() => modeOf("application/json", false))).toMatchObject({
      slug: "invalid-request",
      message: expect.stringContaining("ce-specversion"),
    });
  });

  it("lists the accepted types for anything else", () => {
    expect(problemOf(() => modeOf("text/csv", false))).toMatchObject({
      slug: "unsupported-media-type",
      message: expect.stringContaining("application/cloudevents+json"),
    });
    expect(problemOf(() => modeOf(undefined, false)).message).toContain("(missing)");
  });
});

describe("parseJson", () => {
  it("says where the JSON breaks when the parser knows", () => {
    expect(problemOf(() => parseJson('{\n  "a": 1,\n  }'))).toEqual({
      slug: "malformed-json",
      message: "The body is not valid JSON (line 3, column 3).",
    });
  });

  it("never quotes the body (the parser's own message would)", () => {
    const { message } = problemOf(() => parseJson('{"utterance": "secret text" }}'));
    expect(message).not.toContain("secret");
  });

  it("calls an empty body empty", () => {
    expect(problemOf(() => parseJson("  \n")).message).toBe("The body is empty.");
  });
});

describe("eventsInBody", () => {
  it("takes one event in structured mode and up to 1,000 in a batch", () => {
    expect(eventsInBody("structured", { id: "a" })).toEqual([{ id: "a" }]);
    expect(eventsInBody("batch", [{ id: "a" }, { id: "b" }])).toHaveLength(2);
    expect(
      problemOf(() =>
        eventsInBody(
          "batch",
          Array.from({ length: 1_001 }, () => ({})),
        ),
      ),
    ).toMatchObject({ slug: "batch-too-large" });
  });
});

describe("binary mode", () => {
  it("reads attributes from ce-* headers, percent-decoded, and the body as data", () => {
    const event = eventFromBinary(
      {
        "ce-specversion": "1.0",
        "ce-id": "evt_1",
        "ce-source": "urn%3Aclinic%3Anorth",
        "ce-traceparent": "00-1",
        "x-other": "ignored",
      },
      "application/json",
      { sessionId: "s" },
    );
    expect(event).toEqual({
      specversion: "1.0",
      id: "evt_1",
      source: "urn:clinic:north",
      traceparent: "00-1",
      datacontenttype: "application/json",
      data: { sessionId: "s" },
    });
  });

  it("points attribute problems at their header, data problems at the data", () => {
    expect(locateInHeaders({ field: "time", pointer: "/time", reason: "r" }).field).toBe("ce-time header");
    expect(locateInHeaders({ field: "datacontenttype", pointer: "/datacontenttype", reason: "r" }).field).toBe(
      "Content-Type header",
    );
    expect(locateInHeaders({ field: "data.clientId", pointer: "/data/clientId", reason: "r" }).field).toBe(
      "data.clientId",
    );
  });
});
