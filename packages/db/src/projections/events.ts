import type { EvokeEvent, EvokeEventType } from "@evoke/events";

/** The events of one type, typed as such. */
export function ofType<T extends EvokeEventType>(
  events: readonly EvokeEvent[],
  type: T,
): Extract<EvokeEvent, { type: T }>[] {
  return events.filter((event): event is Extract<EvokeEvent, { type: T }> => event.type === type);
}
