import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/*
 * The credentials `npm start` makes when the user configured none: a demo ingest key and demo
 * dashboard tokens, each kept in a file of the data directory (readable by its owner only) so
 * they stay the same from one start to the next. Deleting the data directory renews them.
 */

/** 24 random bytes, base64url: 32 characters, never ':' or ',' (the variables' separators). */
function demoSecret(): string {
  return randomBytes(24).toString("base64url");
}

/** The file's entries (one a line), made by `generate` and written first if the file is absent or empty. */
async function keptEntries(file: string, generate: () => readonly string[]): Promise<string[]> {
  const kept = (await readFile(file, "utf8").catch(() => ""))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (kept.length > 0) return kept;
  const generated = [...generate()];
  await writeFile(file, `${generated.join("\n")}\n`, { mode: 0o600 });
  return generated;
}

export interface Credentials {
  /** The variable's value, as the service will read it. */
  readonly value: string;
  /** Where the demo credentials are kept; undefined when the user configured them. */
  readonly demoFile: string | undefined;
}

/** The name of the ingest API key npm start makes. */
export const DEMO_INGEST_KEY = "demo";

/** INGEST_API_KEYS when set, else the demo key `demo:<secret>`. */
export async function ingestKeys(env: NodeJS.ProcessEnv, dataDir: string): Promise<Credentials> {
  const configured = env.INGEST_API_KEYS;
  if (configured !== undefined && configured !== "") return { value: configured, demoFile: undefined };
  const file = join(dataDir, "demo-ingest-key");
  const [key = ""] = await keptEntries(file, () => [`${DEMO_INGEST_KEY}:${demoSecret()}`]);
  return { value: key, demoFile: file };
}

/**
 * FHIR_PATIENT_ID_SALT when set, else a demo salt kept in the data directory, so `npm start`
 * serves POST /fhir/r4 and a Patient keeps its pseudonymous client id from one start to the next.
 */
export async function fhirPatientSalt(env: NodeJS.ProcessEnv, dataDir: string): Promise<Credentials> {
  const configured = env.FHIR_PATIENT_ID_SALT;
  if (configured !== undefined && configured !== "") return { value: configured, demoFile: undefined };
  const file = join(dataDir, "demo-fhir-patient-salt");
  const [salt = ""] = await keptEntries(file, () => [demoSecret()]);
  return { value: salt, demoFile: file };
}

/** The name of the demo director's dashboard token. */
export const DEMO_DIRECTOR = "demo-director";

/**
 * DASHBOARD_TOKENS when set, else three demo tokens, one a line in the file: a director who sees
 * every programme, an analyst of the demo clinic's alcohol programme only, and an engineer (the
 * pipeline pages).
 */
export async function dashboardTokens(env: NodeJS.ProcessEnv, dataDir: string): Promise<Credentials> {
  const configured = env.DASHBOARD_TOKENS;
  if (configured !== undefined && configured !== "") return { value: configured, demoFile: undefined };
  const file = join(dataDir, "demo-dashboard-tokens");
  const tokens = await keptEntries(file, () => [
    `${DEMO_DIRECTOR}:${demoSecret()}:director`,
    `demo-analyst:${demoSecret()}:analyst:prg_alcohol`,
    `demo-engineer:${demoSecret()}:engineer`,
  ]);
  return { value: tokens.join(","), demoFile: file };
}

/** The secret of the named `name:secret[:...]` entry of a credentials value, if it holds one. */
export function secretOf(value: string, name: string): string | undefined {
  const entry = value.split(",").find((candidate) => candidate.trim().startsWith(`${name}:`));
  return entry?.trim().split(":")[1];
}
