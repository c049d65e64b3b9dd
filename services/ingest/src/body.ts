import { ProblemError } from "./problems.ts";

function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError(
    "payload-too-large",
    `The body is larger than ${maxBytes} bytes. Split the events over several requests, or stream them as application/x-ndjson.`,
    { extensions: { limit: maxBytes } },
  );
}

/**
 * Reads a request body as UTF-8 text, refusing it as soon as it passes `maxBytes` (by its
 * Content-Length when declared, else while streaming) so an oversized upload is not buffered.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<string> {
  return (await readBodyBytesLimited(request, maxBytes)).toString("utf8");
}

/** The same, as bytes: for bodies whose encoding is checked by the reader (CSV files). */
export async function readBodyBytesLimited(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
