import { describe, expect, it } from "vitest";
import { databaseName, withDatabase } from "./admin.ts";

describe("database URL helpers", () => {
  it("reads the database a URL names", () => {
    expect(databaseName("postgres://u:p@h:5432/evoke")).toBe("evoke");
    expect(databaseName("postgres://u:p@h:5432/my%20db?sslmode=require")).toBe("my db");
  });

  it("refuses a URL without a database", () => {
    expect(() => databaseName("postgres://u:p@h:5432")).toThrow("names no database");
  });

  it("points the same server and credentials at another database, keeping the options", () => {
    expect(withDatabase("postgres://u:p@h:5432/evoke?sslmode=require", "postgres")).toBe(
      "postgres://u:p@h:5432/postgres?sslmode=require",
    );
  });
});
