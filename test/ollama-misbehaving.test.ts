// `llm models` against a half-working Ollama: headers then silence, a body sent a byte at a time,
// a pull stream that stalls, answers of the wrong shape, a list of 400,000 models. Each ends in
// a named error within its limit (or works), and none of this tool's own errors is shown as
// something Ollama said.
import type http from "node:http";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { connectOllama } from "../src/io/ollama-client.js";
import type { PullEvent } from "../src/models/types.js";
import { fakeModel, startFakeOllama, withServer } from "./helpers/fake-ollama.js";
import { removeDir, runCli, workspaceWith } from "./helpers/workspace.js";

const test = suite("llm models: a half-working Ollama");

/** `work`, or a failure after `ms`: a limit that does not apply fails the test instead of hanging it. */
function bounded<T>(work: Promise<T>, ms = 5000): Promise<T> {
  const giveUp = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms: the limit did not apply`)), ms).unref());
  return Promise.race([work, giveUp]);
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("list: headers then silence, or a body sent a byte at a time, end within the answer limit", async () => {
  const behaviours: [string, http.RequestListener][] = [
    ["headers, then silence", (_req, res) => res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).flushHeaders()],
    [
      "a trickled body",
      async (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
        for (const byte of `{"models":[${'{"name":"a:1"},'.repeat(50)}{"name":"b:1"}]}`) {
          if (res.destroyed) return;
          res.write(byte);
          await tick(20);
        }
        res.end();
      },
    ],
  ];
  for (const [what, handler] of behaviours) {
    await withServer(handler, async (url) => {
      // Before: the limit covered the headers only, and the list waited forever.
      const started = Date.now();
      const result = await bounded(connectOllama({ url, answerTimeoutMs: 300 }).list());
      assert.ok(!result.ok, what);
      if (result.ok) return;
      assert.is(result.error.code, "OLLAMA_ERROR", what);
      assert.is(result.error.message, `Ollama at ${url} started answering but did not finish in time while listing models`, what);
      assert.ok(Date.now() - started < 2000, `${what}: ${Date.now() - started} ms`);
    });
  }
  // rm has no body to wait for (Ollama answers 200 once the model is gone), but no answer at all is bounded too.
  await withServer(
    () => undefined,
    async (url) => {
      const result = await bounded(connectOllama({ url, answerTimeoutMs: 300 }).remove("a:1"));
      assert.ok(!result.ok);
      if (!result.ok) assert.is(result.error.message, `Ollama at ${url} did not answer while removing a:1`);
    },
  );
});

test("pull: a stream that stalls after one line, or trickles bytes that never make a line, is named 'stalled'", async () => {
  const behaviours: [string, http.RequestListener][] = [
    [
      "one line, then nothing",
      (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/x-ndjson" });
        res.write('{"status":"pulling manifest"}\n');
      },
    ],
    [
      "bytes that never end a line",
      async (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/x-ndjson" });
        res.write('{"status":"pulling manifest"}\n{"status":"pulling');
        for (let i = 0; i < 200 && !res.destroyed; i++) {
          res.write(" ");
          await tick(20);
        }
      },
    ],
  ];
  for (const [what, handler] of behaviours) {
    await withServer(handler, async (url) => {
      const events: PullEvent[] = [];
      const started = Date.now();
      const result = await bounded(connectOllama({ url, answerTimeoutMs: 1000, idleTimeoutMs: 300 }).pull("llama3.2:3b", (event) => events.push(event)));
      assert.ok(!result.ok, what);
      if (result.ok) return;
      assert.is(result.error.code, "OLLAMA_ERROR");
      assert.is(result.error.message, `pulling llama3.2:3b stalled: Ollama at ${url} sent no progress for 0.3 s`, what);
      assert.match(result.error.hint ?? "", "run the same command again to resume");
      assert.equal(events, [{ status: "pulling manifest" }], what);
      assert.ok(Date.now() - started < 3000, `${what}: ${Date.now() - started} ms`);
    });
  }
});

test("answers of the wrong shape are said to be unreadable, never quoted as Ollama's words; odd pull events do not crash the renderer", async () => {
  const answers: [string, string, string][] = [
    ['{"models":"not a list"}', "its models field is not a list", "listing models"],
    ['{"models":[{"name":null}]}', "models[0] has no name", "listing models"],
    ["[1,2,3]", "the answer is not a JSON object", "listing models"],
    ['{"modles":[]}', "", ""],
  ];
  for (const [body, why, verb] of answers) {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
        res.end(body);
      },
      async (url) => {
        const result = await connectOllama({ url }).list();
        if (!why) {
          assert.ok(result.ok && result.value.length === 0, body);
          return;
        }
        assert.ok(!result.ok, body);
        if (result.ok) return;
        // Before: "Ollama said: models.map is not a function" (a TypeError of this tool's).
        assert.is(result.error.message, `Ollama at ${url} gave an answer this tool cannot read while ${verb}: ${why}`);
        assert.not.match(result.error.message, "Ollama said");
      },
    );
  }
  await withServer(
    (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/x-ndjson" });
      res.end('{"status":5,"digest":{},"total":"lots","completed":-1}\n{"status":"success"}\n');
    },
    async (url) => {
      const events: PullEvent[] = [];
      const result = await connectOllama({ url }).pull("m", (event) => events.push(event));
      assert.ok(result.ok);
      assert.equal(events, [{ status: "" }, { status: "success" }]);
    },
  );
  await withServer(
    (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
      res.end("<html>not JSON</html>");
    },
    async (url) => {
      const result = await connectOllama({ url }).list();
      assert.ok(!result.ok);
      if (!result.ok)
        assert.ok(
          result.error.message.startsWith(`Ollama at ${url} gave an answer this tool cannot read while listing models (SyntaxError: `),
          result.error.message,
        );
    },
  );
});

test("a list of 400,000 models: listed, compared with the config and summed up without overflowing the stack", async () => {
  // One model made the usual way, copied with new names (a sha256 per model costs seconds here).
  const template = fakeModel("m:latest", 1000, "2024-01-01T00:00:00Z");
  const models = Array.from({ length: 400_000 }, (_, i) => ({ ...template, name: `m${i}:latest`, size: 1000 + i }));
  const ollama = await startFakeOllama({ models });
  const dir = workspaceWith("llm.config.json", JSON.stringify({ models: ["llama3.2:3b", "m7"] }));
  try {
    // Before: RangeError (maximum call stack size exceeded) out of the table.
    const run = await runCli(["models", "list", "--url", ollama.url], dir, { io: { now: () => Date.parse("2024-06-01T00:00:00Z") } });
    assert.is(run.code, 0, run.stderr);
    const lines = run.stdout.split("\n");
    assert.is(lines.length, 400_000 + 6);
    assert.match(run.stdout, /^m7:latest +1\.0 KB +Q4_K_M +3\.2B +5 months ago +yes$/m);
    assert.match(run.stdout, "\nmissing: llama3.2:3b is declared in llm.config.json but not pulled;");
    assert.match(run.stdout, /\nundeclared: m0:latest, m100000:latest, m100001:latest, /);
    assert.match(run.stdout, / and 399979 more are not in llm\.config\.json;/);
    assert.ok(lines[lines.length - 2]!.length < 2000, "the notes are cut short");
  } finally {
    await ollama.close();
    removeDir(dir);
  }
});

test.run();
