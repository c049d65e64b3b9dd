/**
 * `pnpm mi <command>`: Evoke's command-line tools.
 *
 *   code    [--model <version|file>] [--thresholds manual|lyssn|<file.json>]
 *                                                                      code sessions: JSONL in, JSONL out
 *   train   [--data <AnnoMI csv>] [--out <file>]                       train the coder (AnnoMI + written set)
 *   eval    [--data <AnnoMI csv>] [--only cv|topics|holdout] [--json]  evaluate the coder (grouped CV,
 *                                                                      left-out topics, written holdout)
 *   recode  --model <version|file> [--since <date>] [--thresholds …] [--intake]  code the transcript
 *           history again (--intake: also transcripts left on evoke.intake.v1 from before evoke.transcripts.v1)
 *   seed    [--programmes 3] [--clients 600] [--months 12] [--seed 42] [--effect 0.5] [--rate <n>]
 *           [--ingest <url>] [--key <secret>] [--now <time>] [--truth <file>] [--state <file>] [--restart]
 *                                                                      a synthetic clinic through ingest
 *   dlq list [--topic <name>]                                          what is on the dead-letter topic
 *   dlq replay --all | --reason <text> | --position <partition:offset>…  re-publish dead letters
 *              [--topic <name>]
 *   audit   [--since <YYYY-MM-DD>] [--actor <name>] [--action <action>] [--csv]
 *           [--dashboard <url>] [--token <secret>]                    the dashboard's access audit trail
 *   erase   --client <id> [--yes] [--reason <text>]                     erase a client on request (GDPR),
 *           [--dashboard <url>] [--token <secret>]                    through the dashboard's API (director)
 *   rollups rebuild [--database <url>]                                 rebuild the sink's rollups from the facts
 *                                                                      (existing databases; with progress)
 *   import  <file.csv> --kind enrolments|sessions|readiness|ratings|transcripts
 *           [--dry-run] [--all-or-nothing] [--source <uri>]           a CSV export through ingest, row report
 *           [--ingest <url>] [--key <secret>] [--state <file>] [--restart]   on stdout (docs/import.md)
 *
 * Output on stdout is data only (use `pnpm --silent`); messages go to stderr.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { listDeadLetters, replayDeadLetters } from "@evoke/aggregation";
import { recodeHistory } from "@evoke/coding";
import { ConfigError, infrastructureConfig, type KafkaSecurityConfig, loadConfig } from "@evoke/config";
import { TOPICS } from "@evoke/events";
import { localBrokerStatus, localDirectories } from "@evoke/infra";
import { createKafkaClient, KafkaAccessError } from "@evoke/kafka";
import { DEFAULT_MODEL_PATH, loadCoder, THRESHOLD_PRESETS, type Thresholds } from "@evoke/mi-coding";
import { codeLines, InputError, parseSessions } from "@evoke/mi-coding/cli/code";
import { EVALUATION_PARTS, type EvaluationPart, evaluateCommand } from "@evoke/mi-coding/cli/eval";
import { train } from "@evoke/mi-coding/cli/train";
import { AuditUsageError, auditCommand } from "./audit-command.ts";
import { EraseUsageError, eraseCommand } from "./erase-command.ts";
import { ImportUsageError, importCommand } from "./import-command.ts";
import { RollupsUsageError, rollupsCommand } from "./rollups-command.ts";
import { SeedUsageError, seedCommand } from "./seed-command.ts";

/** AnnoMI's training split, beside the repository (see ../shared/data/annomi/README.md). */
const DEFAULT_DATA = fileURLToPath(new URL("../../../../shared/data/annomi/train.csv", import.meta.url));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function thresholdsFrom(option: string | undefined): Promise<Thresholds> {
  if (option === undefined) return THRESHOLD_PRESETS.manual;
  if (option in THRESHOLD_PRESETS) return THRESHOLD_PRESETS[option as keyof typeof THRESHOLD_PRESETS];
  return JSON.parse(await readFile(option, "utf8")) as Thresholds;
}

class UsageError extends Error {}

/** KAFKA_BROKERS (with KAFKA_SSL*, KAFKA_SASL*), or the local broker npm start runs. */
async function kafkaConnection(): Promise<{ brokers: string[]; security?: KafkaSecurityConfig }> {
  const config = loadConfig(infrastructureConfig);
  if (config.kafka.brokers !== undefined) return { brokers: config.kafka.brokers, security: config.kafka.security };
  const running = await localBrokerStatus({ dir: localDirectories(config).kafka, ...config.kafka.local });
  if (running === undefined)
    throw new UsageError("No Kafka: set KAFKA_BROKERS, or start Evoke's local broker (npm start).");
  return { brokers: [`127.0.0.1:${running.details.port}`] };
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  code: async (args) => {
    const { values } = parseArgs({ args, options: { model: { type: "string" }, thresholds: { type: "string" } } });
    const thresholds = await thresholdsFrom(values.thresholds);
    const sessions = parseSessions(await readStdin());
    const coder = await loadCoder(values.model ?? DEFAULT_MODEL_PATH, { threads: 2, onFetch: console.error });
    try {
      process.stdout.write(await codeLines(coder, sessions, thresholds));
    } finally {
      await coder.close();
    }
  },
  train: async (args) => {
    const { values } = parseArgs({ args, options: { data: { type: "string" }, out: { type: "string" } } });
    await train({ data: values.data ?? DEFAULT_DATA, ...(values.out === undefined ? {} : { out: values.out }) });
  },
  recode: async (args) => {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: "string" },
        since: { type: "string" },
        thresholds: { type: "string" },
        intake: { type: "boolean" },
      },
    });
    if (values.model === undefined)
      throw new UsageError("usage: pnpm mi recode --model <version|file> [--since <date>] [--intake]");
    const since = values.since === undefined ? undefined : new Date(values.since);
    if (since !== undefined && Number.isNaN(since.getTime()))
      throw new UsageError(`--since ${values.since} is not a date (e.g. 2026-03-01)`);
    const thresholdsName = values.thresholds ?? "manual";
    const kafka = createKafkaClient({ ...(await kafkaConnection()), clientId: "evoke-recode" });
    const coder = await loadCoder(values.model, { threads: 2, onFetch: console.error });
    try {
      const result = await recodeHistory({
        kafka,
        settings: { coder, thresholds: await thresholdsFrom(values.thresholds), thresholdsName },
        topics: {
          transcripts: TOPICS.transcripts,
          // Transcripts published before they had a topic of their own stay on intake until its
          // retention drops them (docs/scaling.md, moving transcripts to their own topic).
          ...(values.intake === true ? { legacyIntake: TOPICS.intake } : {}),
          coded: TOPICS.coded,
        },
        ...(since === undefined ? {} : { since }),
      });
      console.error(
        `recoded ${result.coded} transcripts with ${coder.model.version}${since === undefined ? "" : ` (${result.skippedBeforeSince} before ${values.since} left alone)`}`,
      );
    } finally {
      await coder.close();
    }
  },
  dlq: async (args) => {
    const [action, ...rest] = args;
    const { values } = parseArgs({
      args: rest,
      options: {
        topic: { type: "string", default: TOPICS.deadLetter },
        all: { type: "boolean" },
        reason: { type: "string" },
        position: { type: "string", multiple: true },
      },
    });
    const kafka = createKafkaClient({ ...(await kafkaConnection()), clientId: "evoke-dlq" });
    if (action === "list") {
      const letters = await listDeadLetters(kafka, values.topic);
      if (letters.length === 0) console.error("The dead-letter topic is empty.");
      for (const letter of letters) {
        console.log(
          [
            `${letter.partition}:${letter.offset}`,
            letter.deadLetteredAt ?? "",
            letter.type ?? "(no type)",
            letter.source ?? "(no source)",
            letter.time ?? "",
            `from ${letter.originalTopic} ${letter.originalPartition}:${letter.originalOffset} (${letter.consumer ?? "?"})`,
            letter.reason,
          ].join("\t"),
        );
      }
      return;
    }
    if (action === "replay") {
      if (values.all !== true && values.reason === undefined && values.position === undefined) {
        throw new UsageError(
          "usage: pnpm mi dlq replay --all | --reason <text> | --position <partition:offset> [--position …]",
        );
      }
      const replayed = await replayDeadLetters(kafka, values.topic, {
        ...(values.all === undefined ? {} : { all: values.all }),
        ...(values.reason === undefined ? {} : { reasonContains: values.reason }),
        ...(values.position === undefined ? {} : { positions: values.position }),
      });
      console.error(
        `replayed ${replayed.length} dead letter${replayed.length === 1 ? "" : "s"} to their original topics`,
      );
      return;
    }
    throw new UsageError("usage: pnpm mi dlq list | pnpm mi dlq replay …");
  },
  seed: seedCommand,
  audit: (args) => auditCommand(args),
  erase: (args) => eraseCommand(args),
  rollups: async (args) => {
    await rollupsCommand(args);
  },
  import: (args) => importCommand(args),
  eval: async (args) => {
    const { values } = parseArgs({
      args,
      options: { data: { type: "string" }, json: { type: "boolean" }, only: { type: "string" } },
    });
    const only = values.only;
    if (only !== undefined && !(EVALUATION_PARTS as readonly string[]).includes(only))
      throw new UsageError(`--only ${only}: use one of ${EVALUATION_PARTS.join(", ")}`);
    await evaluateCommand({
      data: values.data ?? DEFAULT_DATA,
      json: values.json ?? false,
      ...(only === undefined ? {} : { only: only as EvaluationPart }),
    });
  },
};

const [command, ...args] = process.argv.slice(2);
const run = command === undefined ? undefined : COMMANDS[command];
try {
  if (run === undefined) throw new UsageError(`usage: pnpm mi <${Object.keys(COMMANDS).join("|")}> [options]`);
  await run(args);
} catch (error) {
  if (
    error instanceof InputError ||
    error instanceof ConfigError ||
    error instanceof UsageError ||
    error instanceof SeedUsageError ||
    error instanceof AuditUsageError ||
    error instanceof EraseUsageError ||
    error instanceof RollupsUsageError ||
    error instanceof ImportUsageError ||
    error instanceof KafkaAccessError ||
    (error as NodeJS.ErrnoException).code === "ENOENT" ||
    ((error as Error).name === "TypeError" && String((error as Error).message).startsWith("Unknown option"))
  ) {
    console.error((error as Error).message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
