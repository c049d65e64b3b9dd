import { once } from "node:events";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { InfraError } from "./errors.ts";
import { assertPortFree, isPortFree } from "./ports.ts";

async function listening() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return { server, port: address.port };
}

describe("port checks", () => {
  it("sees a port in use and one released", async () => {
    const { server, port } = await listening();
    expect(await isPortFree(port)).toBe(false);
    server.close();
    await once(server, "close");
    expect(await isPortFree(port)).toBe(true);
  });

  it("names the port, the variable that sets it, and what to do", async () => {
    const { server, port } = await listening();
    try {
      const check = assertPortFree(port, "KAFKA_PORT", "Or use KAFKA_BROKERS.");
      await expect(check).rejects.toBeInstanceOf(InfraError);
      await expect(check).rejects.toMatchObject({
        message: `Port ${port} (KAFKA_PORT) is already in use by another program.`,
        hint: "Or use KAFKA_BROKERS.",
      });
    } finally {
      server.close();
    }
  });
});
