import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PeerCertificate } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { databaseTarget, postgresSslOption } from "./ssl.ts";

const files = mkdtempSync(join(tmpdir(), "evoke-ssl-unit-"));
const caFile = join(files, "ca.pem");
writeFileSync(caFile, "the CA's PEM");
const certFile = join(files, "client.pem");
writeFileSync(certFile, "the client's certificate");
const keyFile = join(files, "client.key");
writeFileSync(keyFile, "the client's key");
afterAll(() => rmSync(files, { recursive: true, force: true }));

/** A certificate as checkServerIdentity sees it, for the names given. */
function certificateFor(...names: string[]): PeerCertificate {
  return {
    subject: { CN: names[0] },
    subjectaltname: names.map((name) => `DNS:${name}`).join(", "),
  } as PeerCertificate;
}

describe("databaseTarget", () => {
  it("reads no sslmode as disable, as postgres.js does", () => {
    const target = databaseTarget("postgres://u:p@db.example:6543/evoke");
    expect(target).toEqual({
      url: "postgres://u:p@db.example:6543/evoke",
      host: "db.example",
      port: 6543,
      ssl: { mode: "disable" },
    });
  });

  it("takes the ssl parameters out of the URL postgres.js gets, keeping the others", () => {
    const target = databaseTarget(
      `postgres://u:p@db.example/evoke?sslmode=verify-full&sslrootcert=${caFile}&sslcert=${certFile}&sslkey=${keyFile}&application_name=x`,
    );
    expect(target.url).toBe("postgres://u:p@db.example/evoke?application_name=x");
    expect(target.port).toBe(5432);
    expect(target.ssl).toEqual({ mode: "verify-full", caFile, certFile, keyFile });
  });

  it("accepts each documented mode", () => {
    for (const mode of ["disable", "require", "verify-ca", "verify-full"]) {
      expect(databaseTarget(`postgres://db/evoke?sslmode=${mode}`).ssl.mode).toBe(mode);
    }
  });

  it("refuses other modes, naming the ones it takes", () => {
    expect(() => databaseTarget("postgres://db/evoke?sslmode=prefer")).toThrow(
      'DATABASE_URL: sslmode must be one of disable, require, verify-ca, verify-full (got "prefer")',
    );
  });

  it("refuses node-postgres's ssl=true, which would otherwise mean no TLS at all", () => {
    expect(() => databaseTarget("postgres://db/evoke?ssl=true")).toThrow(/rather than ssl=/);
  });

  it("verifies fully when a CA is given without a mode, and the chain with require (as libpq)", () => {
    expect(databaseTarget(`postgres://db/evoke?sslrootcert=${caFile}`).ssl.mode).toBe("verify-full");
    expect(databaseTarget(`postgres://db/evoke?sslmode=require&sslrootcert=${caFile}`).ssl.mode).toBe("verify-ca");
  });

  it("refuses a CA with sslmode=disable, and a client certificate without its key", () => {
    expect(() => databaseTarget(`postgres://db/evoke?sslmode=disable&sslrootcert=${caFile}`)).toThrow(/set sslmode/);
    expect(() => databaseTarget(`postgres://db/evoke?sslmode=require&sslcert=${certFile}`)).toThrow(/needs its key/);
  });

  it("gives IPv6 hosts without brackets", () => {
    expect(databaseTarget("postgres://u:p@[::1]:5432/evoke?sslmode=require").host).toBe("::1");
  });
});

describe("postgresSslOption", () => {
  const option = (url: string) => postgresSslOption(databaseTarget(url));

  it("is off for disable", () => {
    expect(option("postgres://db/evoke")).toBe(false);
  });

  it("encrypts without checking anything for require", () => {
    expect(option("postgres://db/evoke?sslmode=require")).toEqual({ rejectUnauthorized: false });
  });

  it("checks the chain against the CA file for verify-ca, but not the name", () => {
    const ssl = option(`postgres://db.example/evoke?sslmode=verify-ca&sslrootcert=${caFile}`);
    if (ssl === false) throw new Error("expected TLS options");
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(String(ssl.ca)).toBe("the CA's PEM");
    expect(ssl.checkServerIdentity?.("db.example", certificateFor("elsewhere.example"))).toBeUndefined();
  });

  it("checks the name against the URL's host for verify-full, an address included", () => {
    const byName = option(`postgres://db.example/evoke?sslmode=verify-full&sslrootcert=${caFile}`);
    const byAddress = option(`postgres://127.0.0.1/evoke?sslmode=verify-full&sslrootcert=${caFile}`);
    if (byName === false || byAddress === false) throw new Error("expected TLS options");
    expect(byName.servername).toBe("db.example");
    expect(byName.checkServerIdentity?.("db.example", certificateFor("db.example"))).toBeUndefined();
    expect(byName.checkServerIdentity?.("db.example", certificateFor("localhost"))).toBeInstanceOf(Error);
    // SNI carries no addresses; the check still uses the address, not "localhost".
    expect(byAddress.servername).toBeUndefined();
    expect(byAddress.checkServerIdentity?.("", certificateFor("localhost"))).toBeInstanceOf(Error);
  });

  it("uses the system's CAs when no file is given", () => {
    const ssl = option("postgres://db.example/evoke?sslmode=verify-full");
    if (ssl === false) throw new Error("expected TLS options");
    expect(ssl.ca).toBeUndefined();
    expect(ssl.rejectUnauthorized).toBe(true);
  });

  it("sends the client certificate and key", () => {
    const ssl = option(`postgres://db/evoke?sslmode=require&sslcert=${certFile}&sslkey=${keyFile}`);
    if (ssl === false) throw new Error("expected TLS options");
    expect([String(ssl.cert), String(ssl.key)]).toEqual(["the client's certificate", "the client's key"]);
  });

  it("says which file it cannot read", () => {
    expect(() => option(`postgres://db/evoke?sslmode=verify-full&sslrootcert=${join(files, "missing.pem")}`)).toThrow(
      `Cannot read the PostgreSQL CA file ${join(files, "missing.pem")}`,
    );
  });
});
