import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StanceModels, UtteranceModels } from "./classify.ts";
import { ENCODERS, type EncoderId } from "./encoder/files.ts";
import type { GlobalsModel } from "./globals.ts";
import type { LinearModel } from "./linear-model.ts";
import { STANCE_CODES, type StanceCode } from "./stance.ts";

/**
 * Everything the coder learned, as one versioned artefact (model/coder.json). Coder v1
 * (`annomi-lr-…`, format 1) reads sparse features only; coder v2 (`e5lr-annomi-evoke-…`,
 * format 2) also reads sentence vectors from the encoder it names (fetched, not committed), and
 * carries stance detectors and tuned decision offsets.
 */
export interface CoderModel extends UtteranceModels {
  /** `<kind>-<12 hex of the content hash>`: output carries it, so codings are traceable. */
  readonly version: string;
  readonly trainedOn: string;
  /** The sentence encoder whose vectors the classifiers read (coder v2). */
  readonly encoder?: EncoderId;
  readonly globals: GlobalsModel;
}

export const MODEL_FORMAT = "evoke-mi-coder/2";
const V1_FORMAT = "evoke-mi-coder/1";
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
  readonly encoder?: EncoderId;
  readonly classifiers: Record<"therapist" | "client" | "reflection" | "input", StoredLinearModel>;
  readonly offsets?: UtteranceModels["offsets"];
  readonly stance?: {
    readonly detectors: Record<StanceCode, StoredLinearModel>;
    readonly thresholds: Record<StanceCode, number>;
  };
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

/** The version's prefix: what kind of coder it is and what it was trained on. */
function kindOf(model: Omit<CoderModel, "version">): string {
  return model.encoder === undefined
    ? "annomi-lr"
    : `${model.encoder.startsWith("e5") ? "e5" : model.encoder}lr-annomi-evoke`;
}

/** Serialises deterministically and stamps the version from the content hash. */
export function serializeModel(model: Omit<CoderModel, "version">): { json: string; version: string } {
  const v2 = model.encoder !== undefined;
  const body = {
    format: v2 ? MODEL_FORMAT : V1_FORMAT,
    trainedOn: model.trainedOn,
    ...(v2 ? { encoder: model.encoder } : {}),
    classifiers: {
      therapist: storeLinear(model.therapist),
      client: storeLinear(model.client),
      reflection: storeLinear(model.reflection),
      input: storeLinear(model.input),
    },
    ...(model.offsets === undefined ? {} : { offsets: model.offsets }),
    ...(model.stance === undefined
      ? {}
      : {
          stance: {
            detectors: Object.fromEntries(
              STANCE_CODES.map((code) => [code, storeLinear(model.stance?.detectors[code] as LinearModel<string>)]),
            ),
            thresholds: model.stance.thresholds,
          },
        }),
    globals: model.globals,
  };
  const hash = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 12);
  const version = `${kindOf(model)}-${hash}`;
  const { format, ...rest } = body;
  return { json: `${JSON.stringify({ format, version, ...rest })}\n`, version };
}

export function parseModel(json: string): CoderModel {
  const stored = JSON.parse(json) as StoredModel;
  if (stored.format !== MODEL_FORMAT && stored.format !== V1_FORMAT)
    throw new Error(`unsupported model format ${stored.format} (expected ${MODEL_FORMAT} or ${V1_FORMAT})`);
  if (stored.encoder !== undefined && !(stored.encoder in ENCODERS))
    throw new Error(`model ${stored.version} reads vectors of an unknown encoder ${stored.encoder}`);
  const stance: StanceModels | undefined =
    stored.stance === undefined
      ? undefined
      : {
          detectors: Object.fromEntries(
            STANCE_CODES.map((code) => [code, loadLinear(stored.stance?.detectors[code] as StoredLinearModel)]),
          ) as unknown as StanceModels["detectors"],
          thresholds: stored.stance.thresholds,
        };
  return {
    version: stored.version,
    trainedOn: stored.trainedOn,
    ...(stored.encoder === undefined ? {} : { encoder: stored.encoder }),
    therapist: loadLinear(stored.classifiers.therapist),
    client: loadLinear(stored.classifiers.client),
    reflection: loadLinear(stored.classifiers.reflection),
    input: loadLinear(stored.classifiers.input),
    ...(stored.offsets === undefined ? {} : { offsets: stored.offsets }),
    ...(stance === undefined ? {} : { stance }),
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

/** What the dashboard and docs say about a model: its version and what it was trained on. */
export interface ModelDescription {
  readonly version: string;
  readonly trainedOn: string;
  /** The committed model (model/coder.json), which the coding service uses unless CODING_MODEL says otherwise. */
  readonly isDefault: boolean;
  readonly encoder: EncoderId | undefined;
}

/** The committed model and those in model/archive/, newest first (the committed one). */
export async function describeModels(): Promise<ModelDescription[]> {
  const archive = join(dirname(DEFAULT_MODEL_PATH), "archive");
  const files = [
    DEFAULT_MODEL_PATH,
    ...(await readdir(archive).catch(() => [] as string[]))
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => join(archive, name)),
  ];
  const described: ModelDescription[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const stored = JSON.parse(text) as StoredModel;
    described.push({
      version: stored.version,
      trainedOn: stored.trainedOn,
      isDefault: file === DEFAULT_MODEL_PATH,
      encoder: stored.encoder,
    });
  }
  return described;
}
