import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import {
  connectDatabase,
  DatabaseSslError,
  ensureDatabase,
  migrateDatabase,
  pingDatabase,
  withDatabase,
} from "@evoke/db";
import { silentProgress, startEmbeddedPostgres, stopEmbeddedPostgres } from "@evoke/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createClientCertificate,
  createServerCertificate,
} from "../support/certificates.ts";
import { freePort, isolatedInfrastructure, runInfraCli } from "../support/cli.ts";

const execFileAsync = promisify(execFile);

/*
 * PostgreSQL over TLS, against real servers of this suite's own: one started with ssl=on and a
 * certificate for "localhost" only, signed by a CA made here; one without ssl. Each sslmode is
 * proven by what the server says of the connection (pg_stat_ssl), each failure by its one line.
 */

type ServerOptions = Parameters<typeof startEmbeddedPostgres>[0];

/** The uid/gid PostgreSQL runs as when we are root (it refuses to run as root). */
async function postgresOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number.parseInt((await execFileAsync("id", [flag, "postgres"])).stdout, 10);
  return { uid: await id("-u"), gid: await id("-g") };
}

describe("PostgreSQL over TLS", () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  let certificates: string;
  let ca: CertificateAuthority;
  let strangerCa: CertificateAuthority;
  let tlsServer: ServerOptions;
  let plainServer: ServerOptions;
  /** postgres://evoke:evoke@127.0.0.1:<port>/<database> on the TLS server. */
  let tlsUrl: (database: string) => string;
  let plainUrl: string;

  beforeAll(async () => {
    sandbox = await isolatedInfrastructure();
    certificates = await mkdtemp(join(tmpdir(), "evoke-tls-"));
    // The postgres user reads the server's certificate and key from here.
    await execFileAsync("chmod", ["0755", certificates]);
    ca = await createCertificateAuthority(certificates, "evoke-test-ca");
    strangerCa = await createCertificateAuthority(certificates, "stranger-ca");
    const server = await createServerCertificate(certificates, ca, ["localhost"], await postgresOwner());

    // One database, evoke_tls_mtls, admits only TLS connections with a client certificate the
    // CA signed, for the user it names; the rest keep password logins.
    const hbaFile = join(certificates, "pg_hba.conf");
    await writeFile(
      hbaFile,
      [
        "hostssl evoke_tls_mtls all 127.0.0.1/32 cert",
        "host    evoke_tls_mtls all 127.0.0.1/32 reject",
        "host    all            all 127.0.0.1/32 scram-sha-256",
        "",
      ].join("\n"),
      { mode: 0o644 },
    );
    tlsServer = {
      dir: join(sandbox.dataDir, "postgres-tls"),
      port: await freePort(),
      progress: silentProgress,
      settings: [
        "ssl=on",
        `ssl_cert_file=${server.certFile}`,
        `ssl_key_file=${server.keyFile}`,
        // The CA client certificates must be signed by.
        `ssl_ca_file=${ca.certFile}`,
        `hba_file=${hbaFile}`,
      ],
    };
    plainServer = { dir: join(sandbox.dataDir, "postgres-plain"), port: await freePort(), progress: silentProgress };
    const [withTls, withoutTls] = await Promise.all([
      startEmbeddedPostgres(tlsServer),
      startEmbeddedPostgres(plainServer),
    ]);
    tlsUrl = (database) => withDatabase(withTls.url, database);
    plainUrl = withoutTls.url;
  });

  afterAll(async () => {
    await Promise.all([
      tlsServer && stopEmbeddedPostgres(tlsServer).catch(() => undefined),
      plainServer && stopEmbeddedPostgres(plainServer).catch(() => undefined),
    ]);
    await sandbox?.remove();
    if (certificates !== undefined) await rm(certificates, { recursive: true, force: true });
  });

  /** The URL on the TLS server, by host name, with these parameters. */
  const on = (host: string, parameters: Record<string, string>, database = "evoke_tls") => {
    const url = new URL(tlsUrl(database));
    url.hostname = host;
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
    return url.toString();
  };

  /** Whether the server sees this connection as encrypted, asked over a pool like a service's. */
  async function encrypted(url: string): Promise<boolean> {
    const connection = connectDatabase(url, { max: 1, applicationName: "test:tls" });
    try {
      const [row] = await connection.sql<{ ssl: boolean }[]>`
        select ssl from pg_stat_ssl where pid = pg_backend_pid()`;
      return row?.ssl ?? false;
    } finally {
      await connection.close();
    }
  }

  it("creates, migrates and queries with verify-full, the CA given as DATABASE_SSL_CA_FILE", async () => {
    const config = loadConfig(infrastructureConfig, {
      DATABASE_URL: on("localhost", { sslmode: "verify-full" }),
      DATABASE_SSL_CA_FILE: ca.certFile,
    });
    const url = config.postgres.url?.reveal() ?? "";
    expect(await ensureDatabase(url)).toBe(true);
    await migrateDatabase(url);
    expect(await encrypted(url)).toBe(true);
    const connection = connectDatabase(url, { max: 1 });
    try {
      const [row] = await connection.sql<{ count: number }[]>`
        select count(*)::int as count from drizzle.__drizzle_migrations`;
      expect(row?.count).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }
  });

  it("migrates with `pnpm infra migrate`, and says in one line when the certificate is not for the host", async () => {
    const database = on("localhost", { sslmode: "verify-full" }, "evoke_tls_cli");
    await ensureDatabase(`${database}&sslrootcert=${encodeURIComponent(ca.certFile)}`);
    const migrate = runInfraCli(["migrate"], { DATABASE_URL: database, DATABASE_SSL_CA_FILE: ca.certFile });
    expect((await migrate.exit).code).toBe(0);
    expect(migrate.stdout()).toContain("Migrations applied.");

    const wrongHost = runInfraCli(["migrate"], {
      DATABASE_URL: on("127.0.0.1", { sslmode: "verify-full" }, "evoke_tls_cli"),
      DATABASE_SSL_CA_FILE: ca.certFile,
    });
    expect((await wrongHost.exit).code).toBe(1);
    expect(wrongHost.stderr()).toContain(
      "✖ PostgreSQL's certificate is for localhost, not 127.0.0.1 (sslmode=verify-full)\n  Check DATABASE_URL's sslmode",
    );
  });

  it("refuses verify-full when the host name is not the certificate's, in one line", async () => {
    const url = on("127.0.0.1", { sslmode: "verify-full", sslrootcert: ca.certFile }, "postgres");
    const failure = pingDatabase(url);
    await expect(failure).rejects.toBeInstanceOf(DatabaseSslError);
    await expect(pingDatabase(url)).rejects.toThrow(
      /^PostgreSQL's certificate is for localhost, not 127\.0\.0\.1 \(sslmode=verify-full\)$/,
    );
    await expect(migrateDatabase(url)).rejects.toThrow("not 127.0.0.1 (sslmode=verify-full)");
  });

  it("accepts that host name with verify-ca, which checks the chain only", async () => {
    expect(await encrypted(on("127.0.0.1", { sslmode: "verify-ca", sslrootcert: ca.certFile }, "postgres"))).toBe(true);
  });

  it("refuses a certificate no trusted CA signed, in one line; with a CA file, require checks too", async () => {
    // As libpq: sslmode=require with a root certificate verifies the chain, like verify-ca.
    for (const [mode, checked] of [
      ["verify-full", "verify-full"],
      ["verify-ca", "verify-ca"],
      ["require", "verify-ca"],
    ] as const) {
      const url = on("localhost", { sslmode: mode, sslrootcert: strangerCa.certFile }, "postgres");
      await expect(pingDatabase(url)).rejects.toThrow(
        new RegExp(
          `^PostgreSQL's certificate at localhost:${tlsServer.port} is not trusted: no CA in ${strangerCa.certFile} signed it \\(sslmode=${checked}; [^\\n]+\\)$`,
        ),
      );
    }
  });

  it("encrypts without verifying with require, and not at all with disable", async () => {
    // No CA file: require encrypts, and does not look at the certificate at all.
    expect(await encrypted(on("127.0.0.1", { sslmode: "require" }, "postgres"))).toBe(true);
    expect(await encrypted(on("127.0.0.1", { sslmode: "disable" }, "postgres"))).toBe(false);
  });

  it("sends a client certificate, from DATABASE_SSL_CERT_FILE and _KEY_FILE, where the server requires one", async () => {
    const client = await createClientCertificate(certificates, ca, "evoke");
    const database = on("localhost", { sslmode: "verify-full" }, "evoke_tls_mtls");
    const withCa = `${database}&sslrootcert=${encodeURIComponent(ca.certFile)}`;
    // Created from the maintenance database, which takes a password.
    await ensureDatabase(withCa);
    const config = loadConfig(infrastructureConfig, {
      DATABASE_URL: database,
      DATABASE_SSL_CA_FILE: ca.certFile,
      DATABASE_SSL_CERT_FILE: client.certFile,
      DATABASE_SSL_KEY_FILE: client.keyFile,
    });
    expect(await encrypted(config.postgres.url?.reveal() ?? "")).toBe(true);
    // Without it, the server turns the connection away.
    await expect(pingDatabase(withCa)).rejects.toThrow("connection requires a valid client certificate");
  });

  it("says so when sslmode=require meets a server without SSL", async () => {
    const url = new URL(plainUrl);
    url.searchParams.set("sslmode", "require");
    await expect(ensureDatabase(url.toString())).rejects.toThrow(
      `PostgreSQL at 127.0.0.1:${plainServer.port} does not support SSL, and sslmode=require requires it`,
    );
  });
});
