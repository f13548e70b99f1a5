/**
 * The bot's `POST /intake` served on a real local port and called with fetch, as the monitoring
 * software calls it: what the HTTP intake tests share.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { INTAKE_PATH, type IntakeEndpoint, intakeEndpoint } from "../../src/http/intake.js";
import type { Harness } from "./bot-harness.js";

export const INTAKE_TOKEN = "monitoring-token-0123456789";

export interface IntakeServer {
  url: string;
  endpoint: IntakeEndpoint;
  /**
   * Posts as the monitoring software would (a string or bytes as they are, anything else as JSON);
   * the answer comes first, the announcements are then awaited.
   */
  post(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function serveIntake(h: Harness): Promise<IntakeServer> {
  const endpoint = intakeEndpoint({ ...h.app, api: h.bot.api }, INTAKE_TOKEN);
  const server = createServer((req, res) => void endpoint.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${INTAKE_PATH}`;
  return {
    url,
    endpoint,
    async post(body, headers = {}) {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${INTAKE_TOKEN}`, "content-type": "application/json", ...headers },
        body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
      await endpoint.settle(5_000);
      return answer;
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await endpoint.close(5_000);
    },
  };
}
