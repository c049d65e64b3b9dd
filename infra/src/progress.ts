/**
 * Where infrastructure code reports what it is doing. The CLI prints these lines for people;
 * the test harness prefixes them. No health data ever passes through here.
 */
export interface Progress {
  info(line: string): void;
  warn(line: string): void;
}

export const silentProgress: Progress = { info: () => undefined, warn: () => undefined };
