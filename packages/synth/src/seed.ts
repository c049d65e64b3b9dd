import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type DemoClinicOptions, synthClinic } from "./clinic.ts";
import { type IngestTarget, sendEvents, structuredJson } from "./send.ts";
import { type GroundTruth, groundTruth } from "./truth.ts";

/*
 * `pnpm mi seed`: generates a clinic and sends it through the ingest API, resumably. A state
 * file keeps the clinic's parameters, the `now` it was generated at, and how many events ingest
 * has acknowledged; run again with the same parameters, the same clinic is generated and
 * sending carries on after the last acknowledged batch (resending that one is harmless).
 */

export interface ClinicParameters {
  readonly programmes: number;
  readonly clients: number;
  readonly months: number;
  readonly seed: number;
  readonly effect: number;
}

interface SeedState {
  readonly parameters: ClinicParameters;
  readonly now: string;
  readonly total: number;
  readonly acknowledged: number;
}

export interface SeedOptions {
  readonly parameters: ClinicParameters;
  readonly target: IngestTarget;
  /** Where progress is kept between runs. */
  readonly stateFile: string;
  /** Where the ground truth is written (JSON). */
  readonly truthFile: string;
  /** The end of the history (default: now, or the interrupted run's). */
  readonly now?: Date;
  readonly rate?: number;
  /** Start over even if the state file says this clinic was sent, or part of it. */
  readonly restart?: boolean;
  readonly signal?: AbortSignal;
  /** Progress: events acknowledged of the total. */
  readonly onProgress?: (acknowledged: number, total: number) => void;
}

export type SeedOutcome =
  | {
      readonly kind: "sent";
      readonly sent: number;
      readonly resumedAt: number;
      readonly total: number;
      readonly truth: GroundTruth;
    }
  | { readonly kind: "already-sent"; readonly total: number };

/** The clinic's options from the parameters: ids carry the seed, so clinics of other seeds sit side by side. */
export function clinicOptions(parameters: ClinicParameters, now: Date): DemoClinicOptions {
  return { ...parameters, now, idPrefix: `s${parameters.seed}`, source: "urn:evoke:synth" };
}

const sameParameters = (a: ClinicParameters, b: ClinicParameters) =>
  (Object.keys(a) as (keyof ClinicParameters)[]).every((key) => a[key] === b[key]);

async function readState(file: string): Promise<SeedState | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as SeedState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${file} is not a seed state file (${(error as Error).message}); delete it or pass --restart`);
  }
}

/** Written whole or not at all: a crash mid-write must not lose the progress already made. */
async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function seedClinic(options: SeedOptions): Promise<SeedOutcome> {
  const previous = options.restart ? undefined : await readState(options.stateFile);
  const resuming = previous !== undefined && sameParameters(previous.parameters, options.parameters);
  if (resuming && previous.acknowledged >= previous.total && options.now === undefined)
    return { kind: "already-sent", total: previous.total };
  const now = options.now ?? (resuming ? new Date(previous.now) : new Date());
  const clinic = synthClinic(clinicOptions(options.parameters, now));
  const events = clinic.events.map(structuredJson);
  const from = resuming && previous.now === now.toISOString() ? Math.min(previous.acknowledged, events.length) : 0;

  const truth = groundTruth(
    clinic.roster.programmes.map((programme) => programme.id),
    clinic.episodes,
    now,
  );
  await writeJson(options.truthFile, {
    parameters: options.parameters,
    now: now.toISOString(),
    events: events.length,
    ...truth,
  });

  const state = (acknowledged: number): SeedState => ({
    parameters: options.parameters,
    now: now.toISOString(),
    total: events.length,
    acknowledged,
  });
  await writeJson(options.stateFile, state(from));
  options.onProgress?.(from, events.length);
  const sent = await sendEvents(events, options.target, {
    from,
    ...(options.rate === undefined ? {} : { rate: options.rate }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onAcknowledged: async (acknowledged) => {
      await writeJson(options.stateFile, state(acknowledged));
      options.onProgress?.(acknowledged, events.length);
    },
  });
  return { kind: "sent", sent, resumedAt: from, total: events.length, truth };
}
