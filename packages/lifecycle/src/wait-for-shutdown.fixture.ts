// Used by index.test.ts: a process that works until shut down. "slow" makes the shutdown
// take far longer than the test waits, so only a forced exit (second signal) can end it;
// "stuck" never finishes its shutdown, so only the deadline (1 s here) ends it.
import { aborted, setShutdownDeadline, shutdownSignal } from "./index.ts";

const slow = process.argv[2] === "slow";
const stuck = process.argv[2] === "stuck";
if (stuck) setShutdownDeadline(1_000);
const signal = shutdownSignal();
const work = setInterval(() => undefined, 1_000);
console.log("ready");
await aborted(signal);
console.log(`stopping on ${String(signal.reason)}`);
if (slow) await new Promise((resolve) => setTimeout(resolve, 60_000));
if (stuck) await new Promise(() => undefined);
clearInterval(work);
