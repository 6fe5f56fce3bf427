// `llm models` end to end against a fake Ollama on 127.0.0.1 that speaks Ollama's documented API.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CliIO } from "../src/cli/io.js";
import { closedPort, fakeModel, startFakeOllama, type FakeOllama, type PullScript } from "./helpers/fake-ollama.js";
import { removeDir, runCli, tempDir } from "./helpers/workspace.js";

const test = suite("llm models against a local Ollama API");

const NOW = Date.parse("2026-11-24T12:00:00Z");
const DECLARED = ["llama3.2:3b", "nomic-embed-text", "qwen2.5:0.5b"];

const installedLlama = () => fakeModel("llama3.2:3b", 2019393189, "2026-11-21T10:00:00Z");
const installedMistral = () => fakeModel("mistral:7b", 4113301824, "2026-09-01T10:00:00Z", { parameter_size: "7.2B", quantization_level: "Q4_0" });

function script(name: string, size: number, steps: number, extra: Partial<PullScript> = {}): PullScript {
  const digest = `sha256:${name
    .replace(/[^a-z0-9]/g, "")
    .padEnd(64, "a")
    .slice(0, 64)}`;
  const layer = { digest, total: size, steps: Array.from({ length: steps }, (_, i) => Math.round((size * (i + 1)) / steps)) };
  const tagged = name.includes(":") ? name : `${name}:latest`;
  return { layers: [layer], installs: fakeModel(tagged, size, "2026-11-24T11:00:00Z"), ...extra };
}

interface World {
  ollama: FakeOllama;
  dir: string;
}

async function world(
  options: { models?: ReturnType<typeof fakeModel>[]; pulls?: Record<string, PullScript>; declared?: string[]; port?: number } = {},
): Promise<World> {
  const ollama = await startFakeOllama({ models: options.models ?? [installedLlama(), installedMistral()], pulls: options.pulls ?? {} });
  const dir = tempDir("llm-models-");
  const models = JSON.stringify(options.declared ?? DECLARED);
  writeFileSync(path.join(dir, "llm.config.ts"), `export default { presets: ["cpu"], models: ${models}, ollama: { port: ${options.port ?? ollama.port} } };\n`);
  return { ollama, dir };
}

/** Runs `body` with a fresh fake Ollama and config folder, and always cleans both up. */
async function inWorld(options: Parameters<typeof world>[0], body: (w: World) => Promise<void>): Promise<void> {
  const w = await world(options);
  try {
    await body(w);
  } finally {
    await w.ollama.close();
    removeDir(w.dir);
  }
}

/** A clock that moves half a second per read: rates and ages come out the same on every run. */
function clock(start = NOW, stepMs = 500) {
  let t = start - stepMs;
  return () => (t += stepMs);
}

const run = (w: World, argv: string[], io: Partial<CliIO> = {}, env: Record<string, string> = {}) =>
  runCli(["models", ...argv], w.dir, { env, io: { now: clock(), ...io } });

const portless = (text: string, w: World) => text.split(`127.0.0.1:${w.ollama.port}`).join("127.0.0.1:PORT");

test("list: installed models with size, quantization and age, marked declared or not (golden)", async () => {
  await inWorld({}, async (w) => {
    const r = await run(w, ["list"], { now: () => NOW });
    assert.is(r.code, 0, r.stderr);
    assert.fixture(
      portless(r.stdout, w),
      [
        "Ollama at http://127.0.0.1:PORT",
        "NAME         SIZE    QUANT   PARAMS  MODIFIED      DECLARED",
        "llama3.2:3b  2.0 GB  Q4_K_M  3.2B    3 days ago    yes",
        "mistral:7b   4.1 GB  Q4_0    7.2B    2 months ago  no",
        "",
        "missing: nomic-embed-text, qwen2.5:0.5b are declared in llm.config.ts but not pulled; `llm models sync` pulls them",
        "undeclared: mistral:7b is not in llm.config.ts; add it to models to keep it, or `llm models sync --prune` removes it",
        "",
      ].join("\n"),
    );
    assert.is(r.stderr, "");
  });
});

test("list --json: parseable, with raw sizes, Ollama's timestamps and the declared flag", async () => {
  await inWorld({}, async (w) => {
    const r = await run(w, ["list", "--json"]);
    assert.is(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { ok: boolean; url: string; config: string; models: Record<string, unknown>[]; missing: string[] };
    assert.is(parsed.ok, true);
    assert.is(parsed.url, w.ollama.url);
    assert.is(parsed.config, "llm.config.ts");
    assert.equal(
      parsed.models.map((m) => [m["name"], m["size"], m["quantization"], m["parameterSize"], m["modifiedAt"], m["declared"]]),
      [
        ["llama3.2:3b", 2019393189, "Q4_K_M", "3.2B", "2026-11-21T10:00:00Z", true],
        ["mistral:7b", 4113301824, "Q4_0", "7.2B", "2026-09-01T10:00:00Z", false],
      ],
    );
    assert.equal(parsed.missing, ["nomic-embed-text", "qwen2.5:0.5b"]);
  });
});

test("pull, piped: plain progress lines (golden), then the model is installed", async () => {
  await inWorld({ pulls: { "qwen2.5:0.5b": script("qwen2.5:0.5b", 397821319, 8) } }, async (w) => {
    const r = await run(w, ["pull", "qwen2.5:0.5b"]);
    assert.is(r.code, 0, r.stderr);
    assert.fixture(
      r.stdout,
      [
        "qwen2.5:0.5b: pulling manifest",
        "qwen2.5:0.5b: pulling qwen2505baaa: 398 MB",
        "qwen2.5:0.5b: pulling qwen2505baaa: 50% of 398 MB, 99 MB/s, 2s left",
        "qwen2.5:0.5b: pulling qwen2505baaa: 100% of 398 MB in 4s",
        "qwen2.5:0.5b: verifying sha256 digest",
        "qwen2.5:0.5b: writing manifest",
        "qwen2.5:0.5b: done, 398 MB in 7s",
        "",
      ].join("\n"),
    );
    assert.equal(w.ollama.requests, ["POST /api/pull qwen2.5:0.5b"], "pull with the stack's URL needs no listing first");
    assert.ok(w.ollama.models.some((m) => m.name === "qwen2.5:0.5b"));
  });
});

test("pull at a 40-column terminal: the command reads the terminal's width, every line of the live block fits", async () => {
  await inWorld({ pulls: { "qwen2.5:0.5b": script("qwen2.5:0.5b", 397821319, 8) } }, async (w) => {
    let reads = 0;
    const r = await run(w, ["pull", "qwen2.5:0.5b"], { isTTY: true, columns: () => (reads++, 40) });
    assert.is(r.code, 0, r.stderr);
    assert.ok(reads > 1, "read at each redraw");
    // Each redraw clears a line (ESC[2K) and writes it: none reaches column 40.
    const drawn = r.stdout
      .split("\u001b[2K")
      .slice(1)
      .map((line) => line.replace(/\n[\s\S]*$/, ""));
    assert.ok(drawn.length > 3);
    for (const line of drawn) assert.ok(line.length <= 39, JSON.stringify(line));
    assert.ok(
      drawn.some((line) => line.includes("▕")),
      "bars are drawn",
    );
  });
});

test("pull of an undeclared model says to declare it", async () => {
  await inWorld({ pulls: { "phi3:mini": script("phi3:mini", 2_200_000_000, 2) } }, async (w) => {
    const r = await run(w, ["pull", "phi3:mini", "--quiet"]);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, "");
    const loud = await run(w, ["pull", "phi3:mini"]);
    assert.match(loud.stdout, "note: phi3:mini is not declared in llm.config.ts; add it to models so a fresh stack pulls it too\n");
  });
});

test("pull of a name Ollama's library lacks: Ollama's error in plain words, exit 2", async () => {
  await inWorld({}, async (w) => {
    const r = await run(w, ["pull", "llama9:1t"]);
    assert.is(r.code, 2);
    assert.is(
      r.stderr,
      "error MODEL_NOT_FOUND: Ollama's library has no model named llama9:1t (Ollama said: pull model manifest: file does not exist)\n" +
        "hint: check the name and tag on https://ollama.com/library (e.g. llama3.2:3b); Hugging Face models are named hf.co/ORG/REPO:QUANT\n",
    );
    const json = await run(w, ["pull", "llama9:1t", "--json"]);
    assert.is(json.code, 2);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; failed: { model: string; error: { code: string } }[] };
    assert.is(parsed.ok, false);
    assert.equal(
      parsed.failed.map((f) => [f.model, f.error.code]),
      [["llama9:1t", "MODEL_NOT_FOUND"]],
    );
  });
});

test("pull of several models: an unknown one does not stop the others", async () => {
  await inWorld({ pulls: { "qwen2.5:0.5b": script("qwen2.5:0.5b", 1000, 1) } }, async (w) => {
    const r = await run(w, ["pull", "nosuch:1b", "qwen2.5:0.5b", "--json"]);
    assert.is(r.code, 2);
    const parsed = JSON.parse(r.stdout) as { pulled: string[]; failed: { model: string }[] };
    assert.equal(parsed.pulled, ["qwen2.5:0.5b"]);
    assert.equal(
      parsed.failed.map((f) => f.model),
      ["nosuch:1b"],
    );
  });
});

test("pull interrupted by Ollama (connection closed mid-stream): a clear error, exit 69, nothing installed", async () => {
  await inWorld({ pulls: { "qwen2.5:0.5b": script("qwen2.5:0.5b", 397821319, 8, { dropAfterLines: 5 }) } }, async (w) => {
    const r = await run(w, ["pull", "qwen2.5:0.5b"]);
    assert.is(r.code, 69);
    assert.match(r.stdout, "qwen2.5:0.5b: pulling qwen2505baaa: 398 MB\n");
    assert.is(
      portless(r.stderr, w),
      "error OLLAMA_ERROR: the connection to Ollama at http://127.0.0.1:PORT closed in the middle of pulling qwen2.5:0.5b\n" +
        "hint: Ollama may have restarted (`docker compose ps ollama`, `docker compose logs ollama`); run the same command again: the pull resumes where it stopped\n",
    );
    assert.not.ok(w.ollama.models.some((m) => m.name === "qwen2.5:0.5b"));
  });
});

test("Ctrl-C during a pull: stops cleanly, says how to resume, exit 130, later models untouched", async () => {
  const controller = new AbortController();
  const pulls = {
    "qwen2.5:0.5b": script("qwen2.5:0.5b", 397821319, 8, { pauseAfterLines: { lines: 4, run: () => controller.abort() } }),
    "phi3:mini": script("phi3:mini", 1000, 1),
  };
  await inWorld({ pulls }, async (w) => {
    const r = await run(w, ["pull", "qwen2.5:0.5b", "phi3:mini"], { signal: controller.signal });
    assert.is(r.code, 130);
    assert.is(
      r.stderr,
      "error INTERRUPTED: interrupted: stopped pulling qwen2.5:0.5b\nhint: Ollama keeps the layers downloaded so far: run the same command again to resume\n",
    );
    assert.equal(w.ollama.requests, ["POST /api/pull qwen2.5:0.5b"], "phi3:mini was never requested");
  });
});

test("Ollama down (nothing listening on the stack's port): one clear error with the URL and the fix", async () => {
  const port = await closedPort();
  await inWorld({ port }, async (w) => {
    for (const action of [["list"], ["pull", "llama3.2:3b"], ["sync"], ["rm", "mistral:7b", "--yes"]]) {
      const r = await run(w, action);
      assert.is(r.code, 69, action.join(" "));
      assert.is(
        r.stderr,
        `error OLLAMA_UNREACHABLE: cannot reach Ollama at http://127.0.0.1:${port} (connection refused: nothing listens there)\n` +
          "hint: start it with `docker compose up -d ollama` in the folder holding docker-compose.yml (`llm generate` writes it), or point to another server with --url or OLLAMA_HOST\n",
        action.join(" "),
      );
    }
    assert.equal(w.ollama.requests, [], "the running fake was not asked: the config's port was");
  });
});

test("OLLAMA_HOST and --url override the stack's port, --url first", async () => {
  const port = await closedPort();
  await inWorld({ port }, async (w) => {
    const viaEnv = await run(w, ["list", "--json"], {}, { OLLAMA_HOST: `127.0.0.1:${w.ollama.port}` });
    assert.is(viaEnv.code, 0, viaEnv.stderr);
    assert.is((JSON.parse(viaEnv.stdout) as { url: string }).url, w.ollama.url);
    const viaFlag = await run(w, ["list", "--url", w.ollama.url], {}, { OLLAMA_HOST: `127.0.0.1:${port}` });
    assert.is(viaFlag.code, 0, viaFlag.stderr);
    const bad = await run(w, ["list", "--url", "ftp://x"]);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, 'error USAGE: --url "ftp://x" is not an http(s) URL');
  });
});

test("pull with --url works without any config file", async () => {
  const ollama = await startFakeOllama({ pulls: { "qwen2.5:0.5b": script("qwen2.5:0.5b", 1000, 1) } });
  const empty = tempDir();
  try {
    const r = await runCli(["models", "pull", "qwen2.5:0.5b", "--url", ollama.url, "--json"], empty, { io: { now: clock() } });
    assert.is(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { pulled: string[] }).pulled, ["qwen2.5:0.5b"]);
  } finally {
    await ollama.close();
    removeDir(empty);
  }
});

test("sync: pulls the missing declared models, reports the undeclared one and keeps it", async () => {
  await inWorld(
    { pulls: { "nomic-embed-text:latest": script("nomic-embed-text", 274302450, 2), "qwen2.5:0.5b": script("qwen2.5:0.5b", 397821319, 2) } },
    async (w) => {
      const r = await run(w, ["sync"]);
      assert.is(r.code, 0, r.stderr);
      const lines = portless(r.stdout, w).split("\n");
      assert.is(lines[0], "Ollama at http://127.0.0.1:PORT: llm.config.ts declares 3, 1 present, 2 missing, 1 undeclared");
      assert.ok(lines.includes("nomic-embed-text: done, 274 MB in 4s"), r.stdout);
      assert.ok(lines.includes("qwen2.5:0.5b: done, 398 MB in 4s"), r.stdout);
      assert.ok(
        lines.includes("undeclared: mistral:7b is not in llm.config.ts; add it to models to keep it, or `llm models sync --prune` removes it"),
        r.stdout,
      );
      assert.is(lines.at(-2), "in sync: all 3 declared models present");
      assert.equal(
        w.ollama.requests,
        ["GET /api/tags", "POST /api/pull nomic-embed-text:latest", "POST /api/pull qwen2.5:0.5b"],
        "never deletes without --prune",
      );
      assert.equal(w.ollama.models.map((m) => m.name).sort(), ["llama3.2:3b", "mistral:7b", "nomic-embed-text:latest", "qwen2.5:0.5b"]);

      const again = await run(w, ["sync", "--json"]);
      const parsed = JSON.parse(again.stdout) as { pulled: string[]; present: string[]; undeclared: string[]; removed: string[] };
      assert.equal([parsed.pulled, parsed.present, parsed.undeclared, parsed.removed], [[], DECLARED, ["mistral:7b"], []]);
    },
  );
});

test("sync --dry-run shows the plan and changes nothing", async () => {
  await inWorld({}, async (w) => {
    const r = await run(w, ["sync", "--dry-run", "--prune"]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, "would pull    nomic-embed-text\nwould pull    qwen2.5:0.5b\nwould remove  mistral:7b (4.1 GB, undeclared)\n");
    assert.equal(w.ollama.requests, ["GET /api/tags"]);
  });
});

test("sync --prune: removes undeclared models only after confirmation", async () => {
  const pulls = () => ({ "nomic-embed-text:latest": script("nomic-embed-text", 1000, 1), "qwen2.5:0.5b": script("qwen2.5:0.5b", 1000, 1) });
  await inWorld({ pulls: pulls() }, async (w) => {
    const piped = await run(w, ["sync", "--prune"]);
    assert.is(piped.code, 2, "no terminal to ask on and no --yes");
    assert.match(
      piped.stderr,
      "error CONFIRMATION_REQUIRED: not removing mistral:7b without confirmation (no terminal to ask on)\nhint: pass --yes to remove without asking\n",
    );
    assert.not.ok(w.ollama.requests.some((r) => r.startsWith("DELETE")));

    const questions: string[] = [];
    const declined = await run(w, ["sync", "--prune"], { prompt: async (q) => (questions.push(q), "n") });
    assert.is(declined.code, 0);
    assert.equal(portless(questions.join(""), w), "Remove mistral:7b (4.1 GB) from Ollama at http://127.0.0.1:PORT? [y/N] ");
    assert.match(declined.stdout, "kept the undeclared models\n");
    assert.not.ok(w.ollama.requests.some((r) => r.startsWith("DELETE")));

    const yes = await run(w, ["sync", "--prune", "--yes"]);
    assert.is(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, "removed mistral:7b (4.1 GB)\n");
    assert.equal(w.ollama.models.map((m) => m.name).sort(), ["llama3.2:3b", "nomic-embed-text:latest", "qwen2.5:0.5b"]);
  });
});

test("rm: refuses a declared model and deletes nothing; --force removes it and says to edit the config", async () => {
  await inWorld({}, async (w) => {
    const refused = await run(w, ["rm", "mistral:7b", "llama3.2:3b", "--yes"]);
    assert.is(refused.code, 2);
    assert.is(
      refused.stderr,
      "error MODEL_DECLARED: llama3.2:3b is declared in llm.config.ts (models); nothing was removed\n" +
        "hint: remove it from models in llm.config.ts too (or the stack pulls it again on the next start), then run the command again; --force removes it anyway\n",
    );
    assert.not.ok(w.ollama.requests.some((r) => r.startsWith("DELETE")));

    const forced = await run(w, ["rm", "llama3.2:3b", "--force", "--yes"]);
    assert.is(forced.code, 0, forced.stderr);
    assert.is(forced.stdout, "removed llama3.2:3b (2.0 GB)\n");
    assert.is(
      forced.stderr,
      "warning: llama3.2:3b is still declared in llm.config.ts: remove it from models there, or `llm models sync` and the stack's ollama-pull service pull it again\n",
    );
    assert.equal(
      w.ollama.requests.filter((r) => r.startsWith("DELETE")),
      ["DELETE /api/delete llama3.2:3b"],
    );
  });
});

test("rm: asks on a terminal, --yes skips the question, no terminal and no --yes refuses", async () => {
  await inWorld({ models: [installedLlama(), installedMistral(), fakeModel("phi3:mini", 2_200_000_000, "2026-10-01T00:00:00Z")] }, async (w) => {
    const piped = await run(w, ["rm", "mistral:7b"]);
    assert.is(piped.code, 2);
    assert.match(piped.stderr, "CONFIRMATION_REQUIRED");

    const no = await run(w, ["rm", "mistral:7b"], { prompt: async () => "" });
    assert.is(no.code, 0);
    assert.is(no.stdout, "nothing removed\n");
    assert.not.ok(w.ollama.requests.some((r) => r.startsWith("DELETE")));

    const questions: string[] = [];
    const yes = await run(w, ["rm", "mistral:7b", "phi3:mini"], { prompt: async (q) => (questions.push(q), "y") });
    assert.is(yes.code, 0, yes.stderr);
    assert.equal(portless(questions.join("|"), w), "Remove mistral:7b (4.1 GB), phi3:mini (2.2 GB) from Ollama at http://127.0.0.1:PORT? [y/N] ");
    assert.is(yes.stdout, "removed mistral:7b (4.1 GB)\nremoved phi3:mini (2.2 GB)\n");

    const interrupted = await run(w, ["rm", "llama3.2:3b", "--force"], { prompt: () => Promise.reject(new Error("aborted")) });
    assert.is(interrupted.code, 130);
    assert.equal(
      w.ollama.models.map((m) => m.name),
      ["llama3.2:3b"],
    );
  });
});

test("rm of a model Ollama does not have: nothing removed, exit 2", async () => {
  await inWorld({}, async (w) => {
    const r = await run(w, ["rm", "mistral", "--yes", "--json"]);
    assert.is(r.code, 2);
    const parsed = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; message: string } };
    assert.equal([parsed.ok, parsed.error.code, parsed.error.message], [false, "MODEL_NOT_FOUND", "Ollama has no model named mistral; nothing was removed"]);
    assert.not.ok(w.ollama.requests.some((r) => r.startsWith("DELETE")));
  });
});

test("usage errors: names where none belong, none where they are needed", async () => {
  await inWorld({}, async (w) => {
    const noNames = await run(w, ["pull"]);
    assert.is(noNames.code, 2);
    assert.match(noNames.stderr, "llm models pull needs at least one model name");
    const extra = await run(w, ["sync", "llama3.2:3b"]);
    assert.is(extra.code, 2);
    assert.match(extra.stderr, "llm models sync takes no model names");
    const unknownAction = await run(w, ["prune"]);
    assert.is(unknownAction.code, 2);
    assert.match(unknownAction.stderr, 'invalid action "prune" (choose from: list, pull, rm, sync)');
    assert.equal(w.ollama.requests, []);
  });
});

test.run();
