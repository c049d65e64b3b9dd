import type { EvokeEvent } from "@evoke/events";
import { codeTranscript, loadCoder, THRESHOLD_PRESETS } from "@evoke/mi-coding";
import { DEFAULT_SEED, type DemoClinicOptions, demoClinic } from "./clinic.ts";
import { streamFor } from "./random.ts";

/** The random stream for coding delays: apart from every client's (they use parts 1 to `clients`). */
const CODING_STREAM = -1;

/**
 * demoClinic's events plus, right after each transcript, the `evoke.session.coded` event the
 * coding service would publish for it (the shipped model, the manual's thresholds, the same
 * event id), coded two to six minutes after submission: for seeding a database without
 * running the coding service.
 */
export async function codedDemoClinic(options: DemoClinicOptions = {}): Promise<EvokeEvent[]> {
  const intake = demoClinic(options);
  const coder = await loadCoder();
  const settings = { coder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual" } as const;
  const delays = streamFor(options.seed ?? DEFAULT_SEED, CODING_STREAM);
  const events: EvokeEvent[] = [];
  try {
    for (const event of intake) {
      events.push(event);
      if (event.type !== "evoke.transcript.submitted") continue;
      const codedAt = new Date(Date.parse(event.time) + delays.int(120, 360) * 1000);
      // The coded event carries the transcript's time, so inserting it here keeps time order.
      events.push(await codeTranscript(event, settings, codedAt));
    }
  } finally {
    await coder.close();
  }
  return events;
}
