import { EVENT_TYPE_NAMES } from "@evoke/events";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Why an event was not accepted: a small closed set, so label cardinality stays bounded. */
export type RejectionReason =
  | "invalid"
  | "batch-invalid"
  | "unauthorized"
  | "rate-limited"
  | "broker-unavailable"
  | "failed";

const KNOWN_TYPES = new Set<string>(EVENT_TYPE_NAMES);

/** Prometheus metrics for one ingest app; its own registry keeps parallel apps (tests) apart. */
export class IngestMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"route" | "status">;
  readonly #accepted: Counter<"type">;
  readonly #rejected: Counter<"type" | "reason">;
  readonly #publishSeconds: Histogram;

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    this.#requests = new Counter({
      name: "evoke_ingest_requests_total",
      help: "HTTP requests by route and status code.",
      labelNames: ["route", "status"],
      registers: [this.registry],
    });
    this.#accepted = new Counter({
      name: "evoke_ingest_events_accepted_total",
      help: "Events published to Kafka and acknowledged, by type.",
      labelNames: ["type"],
      registers: [this.registry],
    });
    this.#rejected = new Counter({
      name: "evoke_ingest_events_rejected_total",
      help: "Events not accepted, by type (unknown when it could not be read) and reason.",
      labelNames: ["type", "reason"],
      registers: [this.registry],
    });
    this.#publishSeconds = new Histogram({
      name: "evoke_ingest_publish_duration_seconds",
      help: "Time from handing a request's events to Kafka to their acknowledgement.",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    if (options.collectProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: "evoke_ingest_" });
  }

  request(route: string, status: number): void {
    this.#requests.inc({ route, status: String(status) });
  }

  accepted(types: readonly string[]): void {
    for (const type of types) this.#accepted.inc({ type });
  }

  rejected(type: string | undefined, reason: RejectionReason, count = 1): void {
    this.#rejected.inc({ type: type !== undefined && KNOWN_TYPES.has(type) ? type : "unknown", reason }, count);
  }

  async timePublish<T>(publish: () => Promise<T>): Promise<T> {
    const stop = this.#publishSeconds.startTimer();
    try {
      return await publish();
    } finally {
      stop();
    }
  }
}
