/**
 * A Bot API for benchmarks that, like Telegram, runs outside the bot's event loop: an HTTP server in
 * a worker thread that answers every method at once with what Telegram would return. The test fake
 * (test/support/fake-bot-api.ts) keeps every chat's history and checks each call; that bookkeeping
 * runs in the bot's own thread, so it would be counted as the bot's cost.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isMainThread, parentPort, Worker } from "node:worker_threads";

export interface RemoteBotApi {
  apiRoot: string;
  close(): Promise<void>;
}

export async function startRemoteBotApi(): Promise<RemoteBotApi> {
  // The worker runs this TypeScript file: tsx is registered in it first, as the benchmarks run with it.
  const load = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(load, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    close: async () => {
      await worker.terminate();
    },
  };
}

/** A message as Telegram returns it for a sent or edited one. */
function message(id: number, params: Record<string, unknown>) {
  const chatId = Number(params.chat_id ?? 0);
  const chat =
    chatId > 0 ? { id: chatId, type: "private", first_name: "—" } : { id: chatId, type: "group", title: "—" };
  return { message_id: id, date: Math.floor(Date.now() / 1000), chat, text: String(params.text ?? "") };
}

function serve(): void {
  let nextMessageId = 1;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const method = request.url?.split("/").pop() ?? "";
      const body = Buffer.concat(chunks).toString("utf8");
      const params = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      const result =
        method === "sendMessage"
          ? message(nextMessageId++, params)
          : method.startsWith("edit") && params.text !== undefined
            ? message(Number(params.message_id), params)
            : true;
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ ok: true, result }));
    });
  });
  server.listen(0, "127.0.0.1", () => parentPort?.postMessage((server.address() as AddressInfo).port));
}

if (!isMainThread) serve();
