// A local HTTP server on 127.0.0.1 that answers like Ollama's API (docs/api.md and server/routes.go):
// GET /api/version, GET /api/tags, POST /api/pull (NDJSON progress stream), DELETE /api/delete, and
// Ollama's error bodies. Pull streams are scripted per model so tests decide what happens mid-stream.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeModel {
  name: string;
  size: number;
  digest: string;
  modified_at: string;
  details: { format: string; family: string; families: string[] | null; parameter_size: string; quantization_level: string };
}

export interface PullScript {
  /** Layers as Ollama streams them: digest, size, and the `completed` values sent in turn. */
  layers: { digest: string; total: number; steps: number[] }[];
  /** The model `/api/tags` lists once the pull succeeded. */
  installs: FakeModel;
  /** Destroy the connection after this many lines (a crashed or restarted Ollama). */
  dropAfterLines?: number;
  /** Called after this many lines, then the stream waits until the client goes away. */
  pauseAfterLines?: { lines: number; run: () => void };
}

export interface FakeOllama {
  url: string;
  port: number;
  models: FakeModel[];
  /** "POST /api/pull llama3.2:3b", "DELETE /api/delete mistral:7b", ... in order. */
  requests: string[];
  close(): Promise<void>;
}

export function fakeModel(name: string, size: number, modified: string, details: Partial<FakeModel["details"]> = {}): FakeModel {
  return {
    name,
    size,
    digest: createHash("sha256").update(name).digest("hex"),
    modified_at: modified,
    details: { format: "gguf", family: "llama", families: null, parameter_size: "3.2B", quantization_level: "Q4_K_M", ...details },
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  // gin's c.JSON: this content type, no trailing newline.
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
};

async function body(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const nameOf = (b: Record<string, unknown>) => String(b["model"] ?? b["name"] ?? "");
const withTag = (name: string) => (name.includes(":") ? name : `${name}:latest`);

export async function startFakeOllama(options: { models?: FakeModel[]; pulls?: Record<string, PullScript>; version?: string } = {}): Promise<FakeOllama> {
  const models = [...(options.models ?? [])];
  const requests: string[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server = http.createServer(async (req, res) => {
    const route = `${req.method} ${req.url}`;
    if (route === "GET /api/version") {
      requests.push(route);
      return json(res, 200, { version: options.version ?? "0.12.6" });
    }
    if (route === "GET /api/tags") {
      requests.push(route);
      // Ollama lists the most recently modified first.
      return json(res, 200, { models: [...models].sort((a, b) => b.modified_at.localeCompare(a.modified_at)) });
    }
    if (route === "DELETE /api/delete") {
      const name = withTag(nameOf(await body(req)));
      requests.push(`${route} ${name}`);
      const index = models.findIndex((m) => m.name === name);
      if (index === -1) return json(res, 404, { error: `model '${name}' not found` });
      models.splice(index, 1);
      res.writeHead(200);
      return res.end();
    }
    if (route === "POST /api/pull") {
      const name = withTag(nameOf(await body(req)));
      requests.push(`${route} ${name}`);
      return streamPull(res, name, options.pulls?.[name], models);
    }
    requests.push(route);
    // gin's default for an unknown route.
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("404 page not found");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    models,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function streamPull(res: http.ServerResponse, name: string, script: PullScript | undefined, models: FakeModel[]): void {
  const lines: unknown[] = [{ status: "pulling manifest" }];
  if (!script) {
    // What Ollama streams for a name the library does not have: 200, then the error as the last line.
    lines.push({ error: "pull model manifest: file does not exist" });
  } else {
    for (const layer of script.layers) {
      const short = layer.digest.slice(7, 19);
      lines.push({ status: `pulling ${short}`, digest: layer.digest, total: layer.total });
      for (const completed of layer.steps) lines.push({ status: `pulling ${short}`, digest: layer.digest, total: layer.total, completed });
    }
    lines.push({ status: "verifying sha256 digest" }, { status: "writing manifest" }, { status: "success" });
  }
  res.writeHead(200, { "Content-Type": "application/x-ndjson" });
  let sent = 0;
  const next = () => {
    if (script?.dropAfterLines !== undefined && sent === script.dropAfterLines) {
      res.socket?.destroy();
      return;
    }
    if (script?.pauseAfterLines && sent === script.pauseAfterLines.lines) {
      script.pauseAfterLines.run();
      return; // the client aborts; its socket closes
    }
    if (sent === lines.length) {
      res.end();
      return;
    }
    // Ollama writes the manifest before it reports success.
    if (script && sent === lines.length - 1) models.push(script.installs);
    res.write(`${JSON.stringify(lines[sent++])}\n`);
    setImmediate(next);
  };
  next();
}

/** A port on 127.0.0.1 with nothing listening: "Ollama is down". */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server on 127.0.0.1 with one handler, closed after `body` runs. */
export async function withServer(handler: http.RequestListener, body: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
