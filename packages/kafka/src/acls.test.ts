import { describe, expect, it } from "vitest";
import { aclEntries } from "./acls.ts";

/** The entries as "Type:name:Operation[:prefix]" for reading (kafkajs enums are numbers). */
const RESOURCE = { 2: "Topic", 3: "Group", 4: "Cluster", 5: "TransactionalId" } as Record<number, string>;
const OPERATION = { 3: "Read", 4: "Write", 8: "Describe", 12: "IdempotentWrite" } as Record<number, string>;

function readable(entries: ReturnType<typeof aclEntries>): string[] {
  return entries.map(
    (entry) =>
      `${entry.principal} ${RESOURCE[entry.resourceType]}:${entry.resourceName}:${OPERATION[entry.operation]}${entry.resourcePatternType === 4 ? ":prefixed" : ""}`,
  );
}

describe("aclEntries", () => {
  it("grants a transactional consume-transform-produce service exactly its topics, group and ids", () => {
    expect(
      readable(
        aclEntries({
          user: "evoke-coding",
          readTopics: ["in"],
          writeTopics: ["out"],
          groups: ["coding"],
          transactionalIdPrefixes: ["evoke-coding-"],
        }),
      ).sort(),
    ).toEqual(
      [
        "User:evoke-coding Topic:in:Read",
        "User:evoke-coding Topic:in:Describe",
        "User:evoke-coding Topic:out:Write",
        "User:evoke-coding Topic:out:Describe",
        "User:evoke-coding Group:coding:Read",
        "User:evoke-coding TransactionalId:evoke-coding-:Write:prefixed",
        "User:evoke-coding TransactionalId:evoke-coding-:Describe:prefixed",
        "User:evoke-coding Cluster:kafka-cluster:IdempotentWrite",
      ].sort(),
    );
  });

  it("grants nothing for nothing asked, and only allows (never denies)", () => {
    expect(aclEntries({ user: "nobody" })).toEqual([]);
    expect(aclEntries({ user: "r", readTopics: ["t"] }).every((entry) => entry.permissionType === 3)).toBe(true);
  });
});
