/**
 * Validation's cost per event, the fast routes (packages/events/src/fast-path.ts: the envelope,
 * and a transcript's or coding's utterances) against the zod schemas alone, on the events of the
 * synthetic clinic of bench/aggregation.ts, in alternating rounds in one process:
 *   (a) small events (enrolments, readiness, sessions, discharges): validateEvokeEvent and
 *       validateEvokeEventGeneric on each event as JSON.parse gives it;
 *   (b) the same for transcripts and codings;
 *   (c) the sink's whole decode of the small events' Kafka messages (fromKafkaMessage: headers,
 *       JSON.parse, validation).
 * Prints the median CPU milliseconds per 1,000 events of each.
 *
 *   pnpm bench:validation [clients=3000] [rounds=8]
 */
import { fromKafkaMessage, toKafkaMessage, validateEvokeEvent, validateEvokeEventGeneric } from "@evoke/events";
import { syntheticClinic } from "./support/synthetic-clinic.ts";

const clientCount = Number(process.argv[2] ?? 3_000);
const rounds = Number(process.argv[3] ?? 8);
const BIG_TYPES = new Set(["evoke.transcript.submitted", "evoke.session.coded"]);

const events = syntheticClinic(clientCount);
const asParsed = (filter: (type: string) => boolean) =>
  events
    .filter((event) => filter(event.type))
    .map(({ extensions: _none, ...event }) => JSON.parse(JSON.stringify(event)));
const small = asParsed((type) => !BIG_TYPES.has(type));
const big = asParsed((type) => BIG_TYPES.has(type));
const messages = events
  .filter((event) => !BIG_TYPES.has(event.type))
  .map((event) => {
    const message = toKafkaMessage(event);
    return {
      value: Buffer.from(String(message.value)),
      headers: Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]),
      ),
    };
  });
// The synthetic clinic's times lie within a year before now: judged as received now.
const options = { receivedAt: new Date() };

const validating =
  <Input>(inputs: readonly Input[], validate: (input: Input) => { ok: boolean }) =>
  () => {
    for (const input of inputs) if (!validate(input).ok) throw new Error("the benchmark's events must be valid");
    return inputs.length;
  };
const cases: [string, () => number][] = [
  ["(a) small events, fast routes", validating(small, (input) => validateEvokeEvent(input, options))],
  ["(a) small events, schemas alone", validating(small, (input) => validateEvokeEventGeneric(input, options))],
  ["(b) transcripts and codings, fast routes", validating(big, (input) => validateEvokeEvent(input, options))],
  ["(b) transcripts and codings, schemas alone", validating(big, (input) => validateEvokeEventGeneric(input, options))],
  ["(c) small events' Kafka messages, fromKafkaMessage", validating(messages, fromKafkaMessage)],
];

const figures = new Map<string, number[]>();
// The first two rounds warm the JIT up and are not counted.
for (let round = 0; round < rounds + 2; round += 1) {
  for (const [label, run] of cases) {
    const started = process.cpuUsage();
    const count = run();
    const used = process.cpuUsage(started);
    if (round < 2) continue;
    const perThousand = ((used.user + used.system) / 1000 / count) * 1000;
    figures.set(label, [...(figures.get(label) ?? []), perThousand]);
  }
}
console.log(
  `${small.length.toLocaleString("en")} small events, ${big.length.toLocaleString("en")} transcripts and codings; median of ${rounds} rounds`,
);
for (const [label, values] of figures) {
  const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  console.log(`${label.padEnd(52)} ${median.toFixed(1).padStart(7)} ms CPU per 1,000 events`);
}
