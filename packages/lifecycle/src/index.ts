const SHUTDOWN_SIGNALS = ["SIGINT", "SIGTERM"] as const;
export type ShutdownSignalName = (typeof SHUTDOWN_SIGNALS)[number];

const EXIT_CODES: Record<ShutdownSignalName, number> = { SIGINT: 130, SIGTERM: 143 };

let processShutdown: AbortSignal | undefined;

/**
 * The process-wide shutdown signal: aborted by the first SIGINT or SIGTERM, with the signal's
 * name as its reason. Installing the handlers replaces Node's default "die immediately", so
 * the process exits only once every component listening has stopped and the event loop is
 * empty. A second signal exits at once, for someone who does not want to wait.
 */
export function shutdownSignal(): AbortSignal {
  if (processShutdown !== undefined) return processShutdown;
  const controller = new AbortController();
  const handle = (signal: ShutdownSignalName) => {
    if (controller.signal.aborted) process.exit(EXIT_CODES[signal]);
    controller.abort(signal);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handle);
  processShutdown = controller.signal;
  return processShutdown;
}

/** Resolves when the signal aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
