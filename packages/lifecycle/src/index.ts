const SHUTDOWN_SIGNALS = ["SIGINT", "SIGTERM"] as const;
export type ShutdownSignalName = (typeof SHUTDOWN_SIGNALS)[number];
export type ShutdownReason = ShutdownSignalName | "parent-exited";

const EXIT_CODES: Record<ShutdownSignalName, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * How long a shutdown may take before the process exits anyway. A service orphaned by a killed
 * supervisor gets no SIGKILL, and one whose broker is already gone can retry it for ever.
 */
let deadlineMs = 30_000;

/** Changes the shutdown deadline (tests; a service with a longer drain). */
export function setShutdownDeadline(ms: number): void {
  deadlineMs = ms;
}

let controller: AbortController | undefined;

function processController(): AbortController {
  if (controller !== undefined) return controller;
  const created = new AbortController();
  const handle = (signal: ShutdownSignalName) => {
    if (created.signal.aborted) process.exit(EXIT_CODES[signal]);
    created.abort(signal);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handle);
  created.signal.addEventListener(
    "abort",
    () => {
      // unref: a process that stops in time exits as soon as its event loop is empty.
      setTimeout(() => {
        process.stderr.write(`shutdown took longer than ${deadlineMs} ms: exiting anyway\n`);
        process.exit(1);
      }, deadlineMs).unref();
    },
    { once: true },
  );
  controller = created;
  return created;
}

/**
 * The process-wide shutdown signal: aborted by the first SIGINT or SIGTERM, with the signal's
 * name as its reason. Installing the handlers replaces Node's default "die immediately", so
 * the process exits only once every component listening has stopped and the event loop is
 * empty. A second signal exits at once, for someone who does not want to wait.
 */
export function shutdownSignal(): AbortSignal {
  return processController().signal;
}

/**
 * Also shut down if the process that started this one goes away (a supervisor killed with
 * SIGKILL cannot pass the signal on), so a service never runs on unattended.
 */
export function shutDownWithParent(pollMs = 500): void {
  const created = processController();
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent && !created.signal.aborted) created.abort("parent-exited" satisfies ShutdownReason);
  }, pollMs);
  timer.unref();
  created.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}

/** Resolves when the signal aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
