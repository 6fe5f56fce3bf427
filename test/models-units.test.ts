import xterm from "@xterm/headless";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { connectOllama } from "../src/io/ollama-client.js";
import { withServer } from "./helpers/fake-ollama.js";
import type { PullEvent } from "../src/models/types.js";
import { formatAge, formatBytes, formatDuration } from "../src/cli/models/format.js";
import { canonicalModelName, sameModel } from "../src/models/names.js";
import { compareModels, planRemoval } from "../src/models/plan.js";
import { PullProgress } from "../src/cli/models/progress.js";
import { explicitEndpoint, normalizeOllamaUrl, stackEndpoint } from "../src/models/target.js";
import { describeStack } from "../src/pipeline.js";

const test = suite("llm models: names, units, URLs, plans, progress rendering");

test("model names compare the way Ollama compares them", () => {
  assert.is(canonicalModelName("llama3.2"), "llama3.2:latest");
  assert.is(canonicalModelName("Llama3.2:3B"), "llama3.2:3b");
  assert.is(canonicalModelName("registry.ollama.ai/library/llama3.2:3b"), "llama3.2:3b");
  assert.is(canonicalModelName("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M"), "hf.co/bartowski/llama-3.2-1b-instruct-gguf:q4_k_m");
  assert.is(canonicalModelName("myhost:5000/team/model"), "myhost:5000/team/model:latest");
  assert.ok(sameModel("nomic-embed-text", "nomic-embed-text:latest"));
  assert.not.ok(sameModel("mistral", "mistral:7b"));
});

test("sizes, durations and ages read like Ollama's CLI", () => {
  assert.equal([0, 999, 1429, 11357, 274302450, 2019393189, 4113301824].map(formatBytes), ["0 B", "999 B", "1.4 KB", "11 KB", "274 MB", "2.0 GB", "4.1 GB"]);
  assert.equal([0, 9.4, 59, 60, 125, 3599, 3720].map(formatDuration), ["0s", "9s", "59s", "1m00s", "2m05s", "59m59s", "1h02m"]);
  const now = Date.parse("2026-11-24T12:00:00Z");
  assert.equal(
    ["2026-11-24T11:59:50Z", "2026-11-24T11:00:00Z", "2026-11-23T10:00:00Z", "2026-11-21T10:00:00Z", "2026-09-01T10:00:00Z", "2025-06-01T00:00:00Z"].map((d) =>
      formatAge(new Date(d), now),
    ),
    ["just now", "1 hour ago", "yesterday", "3 days ago", "2 months ago", "last year"],
  );
});

test("OLLAMA_HOST forms are read as Ollama reads them", () => {
  const url = (raw: string) => {
    const r = normalizeOllamaUrl(raw, "OLLAMA_HOST");
    return r.ok ? r.value : `error: ${r.error.message}`;
  };
  assert.is(url("127.0.0.1"), "http://127.0.0.1:11434");
  assert.is(url("0.0.0.0:11500"), "http://0.0.0.0:11500");
  assert.is(url(":11500"), "http://127.0.0.1:11500");
  assert.is(url("http://gpu-box"), "http://gpu-box:80");
  assert.is(url("https://ollama.example.com/"), "https://ollama.example.com:443");
  assert.is(url("http://[::1]:11434/ollama/"), "http://[::1]:11434/ollama");
  assert.is(url("ftp://x"), 'error: OLLAMA_HOST "ftp://x" is not an http(s) URL');
  assert.is(url("http://a b"), 'error: OLLAMA_HOST "http://a b" is not a URL');
});

test("--url wins over OLLAMA_HOST; neither means the stack decides", () => {
  assert.equal(explicitEndpoint("http://127.0.0.1:1234", { OLLAMA_HOST: "10.0.0.1" }), { ok: true, value: { url: "http://127.0.0.1:1234", from: "--url" } });
  assert.equal(explicitEndpoint(undefined, { OLLAMA_HOST: "127.0.0.1:9999" }), { ok: true, value: { url: "http://127.0.0.1:9999", from: "OLLAMA_HOST" } });
  assert.is(explicitEndpoint(undefined, {}), undefined);
  assert.is(explicitEndpoint(undefined, { OLLAMA_HOST: "" }), undefined);
});

function stackOf(data: Record<string, unknown>) {
  const described = describeStack({ file: "llm.config.ts", data });
  if (!described.ok) throw described.error;
  return described.value.stack;
}

test("the stack's URL is the port the generated compose file publishes, on 127.0.0.1", () => {
  assert.equal(stackEndpoint(stackOf({ presets: ["cpu"], ollama: { port: 11500 } }), "llm.config.ts"), {
    ok: true,
    value: { url: "http://127.0.0.1:11500", from: "llm.config.ts", service: "ollama" },
  });
  const unpublished = stackEndpoint(stackOf({ presets: ["cpu"], ollama: { publish: false } }), "llm.config.ts");
  assert.ok(!unpublished.ok);
  if (!unpublished.ok) {
    assert.is(unpublished.error.code, "OLLAMA_UNREACHABLE");
    assert.match(unpublished.error.message, "ollama.publish is false in llm.config.ts");
    assert.match(unpublished.error.hint ?? "", "publish: true");
  }
});

const installed = (name: string, size = 1000) => ({
  name,
  size,
  digest: "d",
  modifiedAt: "2026-01-01T00:00:00Z",
  family: "llama",
  parameterSize: "1B",
  quantization: "Q4_0",
});

test("compareModels: present, missing and undeclared, by Ollama's name rules", () => {
  const state = compareModels(
    ["llama3.2:3b", "nomic-embed-text", "qwen2.5:0.5b"],
    [installed("nomic-embed-text:latest"), installed("mistral:7b"), installed("llama3.2:3b")],
  );
  assert.equal(state.present, ["llama3.2:3b", "nomic-embed-text"]);
  assert.equal(state.missing, ["qwen2.5:0.5b"]);
  assert.equal(
    state.undeclared.map((m) => m.name),
    ["mistral:7b"],
  );
  assert.equal(
    state.installed.map((m) => [m.name, m.declared]),
    [
      ["llama3.2:3b", true],
      ["mistral:7b", false],
      ["nomic-embed-text:latest", true],
    ],
  );
});

test("planRemoval: unknown names and declared models are refused before anything is deleted", () => {
  const models = [installed("llama3.2:3b"), installed("mistral:7b")];
  const declared = { file: "llm.config.ts", models: ["llama3.2:3b"] };
  const unknown = planRemoval(["mistral:7b", "phi3"], models, declared, false);
  assert.ok(!unknown.ok && unknown.error.code === "MODEL_NOT_FOUND" && unknown.error.message.includes("phi3"));
  const refused = planRemoval(["mistral:7b", "LLAMA3.2:3b"], models, declared, false);
  assert.ok(!refused.ok && refused.error.code === "MODEL_DECLARED");
  const forced = planRemoval(["mistral:7b", "LLAMA3.2:3b", "mistral:7b"], models, declared, true);
  assert.ok(forced.ok);
  if (forced.ok) {
    assert.equal(
      forced.value.targets.map((m) => m.name),
      ["mistral:7b", "llama3.2:3b"],
    );
    assert.equal(forced.value.stillDeclared, ["llama3.2:3b"]);
  }
});

const BIG = "sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff";
const SMALL = "sha256:966de95ca8a62200913e3f8bfbf84c8494536f1b94b49166851e76644e966396";

/** What Ollama streams for a 2 GB model pulled in 400 MB steps, then a small layer it already had. */
function pullEvents(): PullEvent[] {
  const total = 2_000_000_000;
  const events: PullEvent[] = [{ status: "pulling manifest" }, { status: "pulling dde5aa3fc5ff", digest: BIG, total }];
  for (let completed = 400_000_000; completed <= total; completed += 400_000_000)
    events.push({ status: "pulling dde5aa3fc5ff", digest: BIG, total, completed });
  events.push({ status: "pulling 966de95ca8a6", digest: SMALL, total: 1429, completed: 1429 });
  events.push({ status: "verifying sha256 digest" }, { status: "writing manifest" }, { status: "success" });
  return events;
}

/** A clock that moves one second each time it is read: one read per event. */
const steppingClock = (stepMs = 1000) => {
  let t = 0;
  return () => (t += stepMs);
};

test("piped progress: plain lines, at most one per layer per interval (golden text)", () => {
  let out = "";
  const progress = new PullProgress("llama3.2:3b", { write: (s) => (out += s), live: false, now: steppingClock(), intervalMs: 2000 });
  for (const event of pullEvents()) progress.update(event);
  progress.finish();
  assert.fixture(
    out,
    [
      "llama3.2:3b: pulling manifest",
      "llama3.2:3b: pulling dde5aa3fc5ff: 2.0 GB",
      "llama3.2:3b: pulling dde5aa3fc5ff: 40% of 2.0 GB, 400 MB/s, 3s left",
      "llama3.2:3b: pulling dde5aa3fc5ff: 80% of 2.0 GB, 400 MB/s, 1s left",
      "llama3.2:3b: pulling dde5aa3fc5ff: 100% of 2.0 GB in 5s",
      "llama3.2:3b: pulling 966de95ca8a6: 100% of 1.4 KB",
      "llama3.2:3b: verifying sha256 digest",
      "llama3.2:3b: writing manifest",
      "llama3.2:3b: done, 2.0 GB in 11s",
      "",
    ].join("\n"),
  );
});

test("piped progress: a resumed layer's rate counts only this run's bytes", () => {
  let out = "";
  const progress = new PullProgress("m", { write: (s) => (out += s), live: false, now: steppingClock(), intervalMs: 1000 });
  progress.update({ status: "pulling x", digest: BIG, total: 1_000_000_000, completed: 900_000_000 });
  progress.update({ status: "pulling x", digest: BIG, total: 1_000_000_000, completed: 950_000_000 });
  assert.is(out, "m: pulling dde5aa3fc5ff: 1.0 GB\nm: pulling dde5aa3fc5ff: 95% of 1.0 GB, 50 MB/s, 1s left\n");
});

/** Plays the bytes into a headless xterm, as a terminal would show them. */
async function screen(bytes: string, rows = 16, cols = 80): Promise<string[]> {
  return played([{ bytes, cols }], rows);
}

/** Plays each part at its terminal width: the terminal is resized between parts. */
async function played(parts: { bytes: string; cols: number }[], rows = 16): Promise<string[]> {
  const term = new xterm.Terminal({ cols: parts[0]!.cols, rows, allowProposedApi: true, convertEol: true });
  for (const { bytes, cols } of parts) {
    if (cols !== term.cols) term.resize(cols, rows);
    await new Promise<void>((resolve) => term.write(bytes, resolve));
  }
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(term.buffer.active.getLine(i)?.translateToString(true) ?? "");
  term.dispose();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

test("live progress on a terminal: one bar per layer, redrawn in place (rendered by xterm)", async () => {
  let out = "";
  const progress = new PullProgress("llama3.2:3b", { write: (s) => (out += s), live: true, now: steppingClock(), redrawMs: 100 });
  const events = pullEvents();
  // Midway: the big layer at 40%, with its rate and time left.
  for (const event of events.slice(0, 4)) progress.update(event);
  assert.equal(await screen(out), ["pulling llama3.2:3b", "  pulling manifest", "  dde5aa3fc5ff  40% ▕██████          ▏ 800 MB/2.0 GB  400 MB/s  3s left"]);
  for (const event of events.slice(4)) progress.update(event);
  progress.finish();
  assert.equal(await screen(out), [
    "pulling llama3.2:3b",
    "  pulling manifest",
    "  dde5aa3fc5ff 100% ▕████████████████▏ 2.0 GB",
    "  966de95ca8a6 100% ▕████████████████▏ 1.4 KB",
    "  verifying sha256 digest",
    "  writing manifest",
    "pulled llama3.2:3b (2.0 GB in 11s)",
  ]);
  assert.match(out, "\u001b[2K", "lines are cleared before they are rewritten");
});

test("live progress: lines are cut to the terminal width so redraws stay aligned", async () => {
  let out = "";
  const progress = new PullProgress("m", { write: (s) => (out += s), live: true, now: steppingClock(), columns: 30 });
  progress.update({ status: "pulling manifest with a status text far longer than thirty columns" });
  progress.update({ status: "next" });
  const shown = await screen(out);
  assert.equal(shown, ["pulling m", "  pulling manifest with a sta", "  next"]);
});

test("live progress at 40 columns: the bar keeps its cells and the rate goes first, every line fits (rendered by xterm)", async () => {
  let out = "";
  const progress = new PullProgress("llama3.2:3b", { write: (s) => (out += s), live: true, now: steppingClock(), columns: () => 40 });
  const events = pullEvents();
  for (const event of events.slice(0, 4)) progress.update(event);
  const midway = await screen(out, 16, 40);
  assert.equal(midway, ["pulling llama3.2:3b", "  pulling manifest", "   40% ▕██████          ▏ 800 MB/2.0 GB"]);
  for (const event of events.slice(4)) progress.update(event);
  progress.finish();
  const done = await screen(out, 16, 40);
  assert.equal(done, [
    "pulling llama3.2:3b",
    "  pulling manifest",
    "  dde5aa3fc5ff 100% ▕██████████▏ 2.0 GB",
    "  966de95ca8a6 100% ▕██████████▏ 1.4 KB",
    "  verifying sha256 digest",
    "  writing manifest",
    "pulled llama3.2:3b (2.0 GB in 11s)",
  ]);
  for (const line of done) assert.ok(line.length <= 39, line);
});

test("live progress follows a resize: after the terminal narrows, a whole block at the new width below, nothing overwritten", async () => {
  let out = "";
  let columns = 80;
  const progress = new PullProgress("llama3.2:3b", { write: (s) => (out += s), live: true, now: steppingClock(), columns: () => columns });
  const events = pullEvents();
  for (const event of events.slice(0, 4)) progress.update(event);
  const wide = out;
  out = "";
  columns = 40;
  for (const event of events.slice(4)) progress.update(event);
  progress.finish();
  const shown = await played([
    { bytes: wide, cols: 80 },
    { bytes: out, cols: 40 },
  ]);
  const last = shown.slice(shown.lastIndexOf("pulling llama3.2:3b"));
  assert.equal(last.slice(0, 4), [
    "pulling llama3.2:3b",
    "  pulling manifest",
    "  dde5aa3fc5ff 100% ▕██████████▏ 2.0 GB",
    "  966de95ca8a6 100% ▕██████████▏ 1.4 KB",
  ]);
  assert.is(last[last.length - 1], "pulled llama3.2:3b (2.0 GB in 11s)");
  assert.ok(shown.indexOf("pulling llama3.2:3b") < shown.lastIndexOf("pulling llama3.2:3b"), "the narrow block is drawn below the wide one");
  for (const line of last) assert.ok(line.length <= 40, line);
});

test("client: something listening that never answers is reported, not waited on forever", async () => {
  await withServer(
    () => undefined,
    async (url) => {
      // Bounded even if the limit were broken: the test fails after 5 s instead of hanging.
      const giveUp = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer after 5 s: the limit did not apply")), 5000).unref());
      const result = await Promise.race([connectOllama({ url, answerTimeoutMs: 150 }).list(), giveUp]);
      assert.ok(!result.ok);
      if (!result.ok) {
        assert.is(result.error.code, "OLLAMA_UNREACHABLE");
        assert.is(result.error.message, `Ollama at ${url} did not answer while listing models`);
      }
    },
  );
});

test("client: a non-Ollama error page becomes an error value, and the client prints nothing", async () => {
  const printed: unknown[] = [];
  const original = { log: console.log, warn: console.warn };
  console.log = (...args: unknown[]) => printed.push(args);
  console.warn = (...args: unknown[]) => printed.push(args);
  try {
    await withServer(
      (_req, res) => {
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end("404 page not found");
      },
      async (url) => {
        const result = await connectOllama({ url }).list();
        assert.ok(!result.ok);
        if (!result.ok) {
          assert.is(result.error.code, "OLLAMA_ERROR");
          assert.is(result.error.message, `Ollama at ${url} failed listing models (Ollama said: HTTP 404: 404 page not found)`);
        }
      },
    );
  } finally {
    Object.assign(console, original);
  }
  assert.equal(printed, []);
});

test.run();
