import { join } from "node:path";
import { parseArgs } from "node:util";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { localDirectories } from "@evoke/infra";
import { type ClinicParameters, seedClinic } from "@evoke/synth/seed";
import { demoKeyFile, ingestKey, ingestUrl, progressBar } from "./ingest-target.ts";

/*
 * `pnpm mi seed`: a synthetic clinic sent through the ingest API (packages/synth), with a
 * progress bar, resumable, at a set rate; writes the ground truth beside its progress.
 */

export const SEED_USAGE = `usage: pnpm mi seed [--programmes 3] [--clients 600] [--months 12] [--seed 42] [--effect 0.5]
                   [--rate <events/s>] [--ingest <url>] [--key <secret>] [--now <ISO time>]
                   [--truth <file>] [--state <file>] [--restart]`;

export class SeedUsageError extends Error {}

function numberOption(name: string, value: string | undefined, fallback: number, whole: boolean): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || (whole && !Number.isInteger(parsed)))
    throw new SeedUsageError(`--${name} ${value} is not a ${whole ? "whole " : ""}number of at least 0\n${SEED_USAGE}`);
  return parsed;
}

/** The ingest key, or a usage error saying where to put one. */
async function requireIngestKey(option: string | undefined, dataDir: string): Promise<string> {
  const secret = await ingestKey(option, dataDir);
  if (secret === undefined)
    throw new SeedUsageError(
      `No ingest key: pass --key <secret> or set EVOKE_INGEST_KEY (npm start keeps its demo key in ${demoKeyFile(dataDir)}).`,
    );
  return secret;
}

export async function seedCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      programmes: { type: "string" },
      clients: { type: "string" },
      months: { type: "string" },
      seed: { type: "string" },
      effect: { type: "string" },
      rate: { type: "string" },
      ingest: { type: "string" },
      key: { type: "string" },
      now: { type: "string" },
      truth: { type: "string" },
      state: { type: "string" },
      restart: { type: "boolean" },
    },
  });
  const parameters: ClinicParameters = {
    programmes: numberOption("programmes", values.programmes, 3, true),
    clients: numberOption("clients", values.clients, 600, true),
    months: numberOption("months", values.months, 12, false),
    seed: numberOption("seed", values.seed, 42, true),
    effect: numberOption("effect", values.effect, 0.5, false),
  };
  const rate = values.rate === undefined ? undefined : numberOption("rate", values.rate, 0, false);
  if (rate === 0) throw new SeedUsageError(`--rate must be above 0 events a second\n${SEED_USAGE}`);
  const now = values.now === undefined ? undefined : new Date(values.now);
  if (now !== undefined && Number.isNaN(now.getTime()))
    throw new SeedUsageError(`--now ${values.now} is not a time (e.g. 2026-11-01T12:00:00Z)`);

  const config = loadConfig(infrastructureConfig);
  const { root } = localDirectories(config);
  const url = ingestUrl(values.ingest);
  const name = `seed-${parameters.seed}`;
  const truthFile = values.truth ?? join(root, "seeds", `${name}-truth.json`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const outcome = await seedClinic({
      parameters,
      target: { url, apiKey: await requireIngestKey(values.key, root) },
      stateFile: values.state ?? join(root, "seeds", `${name}-state.json`),
      truthFile,
      ...(now === undefined ? {} : { now }),
      ...(rate === undefined ? {} : { rate }),
      restart: values.restart ?? false,
      signal: controller.signal,
      onProgress: progressBar("events"),
    });
    if (outcome.kind === "already-sent") {
      console.error(
        `This clinic (seed ${parameters.seed}) was sent already: ${outcome.total.toLocaleString("en")} events. --restart sends it again with the current time.`,
      );
      return;
    }
    const resumed = outcome.resumedAt > 0 ? ` (resumed after ${outcome.resumedAt.toLocaleString("en")})` : "";
    console.error(`Sent ${outcome.total.toLocaleString("en")} events to ${url}${resumed}. Ground truth: ${truthFile}`);
  } catch (error) {
    if (controller.signal.aborted) {
      console.error("\nInterrupted: run the same command again to carry on where it stopped.");
      process.exitCode = 130;
      return;
    }
    // What was acknowledged is kept: the same command carries on from there.
    throw new SeedUsageError(`\n${(error as Error).message}\nRun the same command again to carry on where it stopped.`);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
