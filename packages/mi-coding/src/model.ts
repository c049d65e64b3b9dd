import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GlobalsModel } from "./globals.ts";
import type { LinearModel } from "./linear-model.ts";
import type { ClientCategory, InputType, ReflectionType, TherapistCategory } from "./transcript.ts";

/** Everything the coder learned, as one versioned artefact (model/coder.json). */
export interface CoderModel {
  /** `annomi-lr-<12 hex of the content hash>`: output carries it, so codings are traceable. */
  readonly version: string;
  readonly trainedOn: string;
  readonly therapist: LinearModel<TherapistCategory>;
  readonly client: LinearModel<ClientCategory>;
  readonly reflection: LinearModel<ReflectionType>;
  readonly input: LinearModel<InputType>;
  readonly globals: GlobalsModel;
}

export const MODEL_FORMAT = "evoke-mi-coder/1";
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL("../model/coder.json", import.meta.url));

interface StoredLinearModel {
  readonly labels: readonly string[];
  readonly features: readonly string[];
  readonly denseSize: number;
  /** Float32 little-endian, base64: weights[feature * labels + label]. */
  readonly weights: string;
}

interface StoredModel {
  readonly format: string;
  readonly version: string;
  readonly trainedOn: string;
  readonly classifiers: Record<"therapist" | "client" | "reflection" | "input", StoredLinearModel>;
  readonly globals: GlobalsModel;
}

function storeLinear(model: LinearModel<string>): StoredLinearModel {
  const features = [...model.vocabulary.entries()].sort((a, b) => a[1] - b[1]).map(([feature]) => feature);
  const bytes = Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength);
  return { labels: model.labels, features, denseSize: model.denseSize, weights: bytes.toString("base64") };
}

function loadLinear<Label extends string>(stored: StoredLinearModel): LinearModel<Label> {
  const bytes = Buffer.from(stored.weights, "base64");
  const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    labels: stored.labels as Label[],
    vocabulary: new Map(stored.features.map((feature, index) => [feature, index])),
    weights,
    denseSize: stored.denseSize,
  };
}

/** Serialises deterministically and stamps the version from the content hash. */
export function serializeModel(model: Omit<CoderModel, "version">): { json: string; version: string } {
  const body = {
    format: MODEL_FORMAT,
    trainedOn: model.trainedOn,
    classifiers: {
      therapist: storeLinear(model.therapist),
      client: storeLinear(model.client),
      reflection: storeLinear(model.reflection),
      input: storeLinear(model.input),
    },
    globals: model.globals,
  };
  const hash = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 12);
  const version = `annomi-lr-${hash}`;
  const { format, ...rest } = body;
  return { json: `${JSON.stringify({ format, version, ...rest })}\n`, version };
}

export function parseModel(json: string): CoderModel {
  const stored = JSON.parse(json) as StoredModel;
  if (stored.format !== MODEL_FORMAT)
    throw new Error(`unsupported model format ${stored.format} (expected ${MODEL_FORMAT})`);
  return {
    version: stored.version,
    trainedOn: stored.trainedOn,
    therapist: loadLinear(stored.classifiers.therapist),
    client: loadLinear(stored.classifiers.client),
    reflection: loadLinear(stored.classifiers.reflection),
    input: loadLinear(stored.classifiers.input),
    globals: stored.globals,
  };
}

export async function loadModel(path: string = DEFAULT_MODEL_PATH): Promise<CoderModel> {
  return parseModel(await readFile(path, "utf8"));
}

/**
 * A model by file path, or by version among the committed model and those kept in
 * model/archive/ (for recoding history with an earlier or later model).
 */
export async function findModel(versionOrPath: string): Promise<CoderModel> {
  const byPath = await readFile(versionOrPath, "utf8").catch(() => undefined);
  if (byPath !== undefined) return parseModel(byPath);
  const directory = dirname(DEFAULT_MODEL_PATH);
  const archive = join(directory, "archive");
  const candidates = [
    DEFAULT_MODEL_PATH,
    ...(await readdir(archive).catch(() => [] as string[]))
      .filter((name) => name.endsWith(".json"))
      .map((name) => join(archive, name)),
  ];
  for (const file of candidates) {
    const model = parseModel(await readFile(file, "utf8"));
    if (model.version === versionOrPath) return model;
  }
  throw new Error(
    `no model "${versionOrPath}": not a file, and no model with that version in ${directory} or its archive/`,
  );
}
