// Used by index.test.ts: a process that works until shut down. "slow" makes the shutdown
// take far longer than the test waits, so only a forced exit (second signal) can end it.
import { aborted, shutdownSignal } from "./index.ts";

const slow = process.argv[2] === "slow";
const signal = shutdownSignal();
const work = setInterval(() => undefined, 1_000);
console.log("ready");
await aborted(signal);
console.log(`stopping on ${String(signal.reason)}`);
if (slow) await new Promise((resolve) => setTimeout(resolve, 60_000));
clearInterval(work);
