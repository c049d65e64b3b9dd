import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * For the sender's unit tests only: an HTTP server answering like ingest (202, or a problem
 * with Retry-After) as `answer` decides, recording what it acknowledged. The real ingest
 * service is exercised end to end in test/e2e.
 */

/** A stand-in for ingest's HTTP answers: `answer` decides each request's status. */
export async function fakeIngest(answer: (request: number) => { status: number; retryAfter?: string }) {
  const received: { ids: string[]; authorization: string | undefined }[] = [];
  let requests = 0;
  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    requests += 1;
    const { status, retryAfter } = answer(requests);
    if (status === 202)
      received.push({
        ids: (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }[]).map((event) => event.id),
        authorization: request.headers.authorization,
      });
    response.writeHead(status, {
      "content-type": status === 202 ? "application/json" : "application/problem+json",
      ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }),
    });
    response.end(JSON.stringify(status === 202 ? { accepted: 1 } : { title: `status ${status}`, detail: "why" }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, received, requests: () => requests };
}
