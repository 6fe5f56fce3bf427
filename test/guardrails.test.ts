// Issue 18's guardrails: a config either produces the stack it describes, or is refused (or warned
// about) with a message that names the key and the fix. Each test reads the generated files back.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { generate, validate } from "../src/index.js";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { CLI } from "./helpers/paths.js";
import { parseDotenv } from "../src/secrets/dotenv.js";
import { unsetReferences } from "../src/secrets/references.js";
import { findPreset, presetNames } from "../src/config/presets.js";
import { leaves } from "../src/config/leaves.js";
import { removeDir, runCli, workspaceWith } from "./helpers/workspace.js";

type ComposeService = Record<string, any>;
const test = suite("guardrails: what the config says is what runs");

function generated(config: unknown) {
  const result = generate(config);
  if (!result.ok) throw new Error(result.error.diagnostics.map((d) => `${d.path}: ${d.message}`).join("; "));
  const files = Object.fromEntries(result.value.files.map((f) => [f.path, f.contents]));
  const compose = parse(files["docker-compose.yml"] ?? "services: {}") as { services: Record<string, ComposeService> };
  return { files, services: compose.services, stack: result.value.stack, stacks: result.value.stacks };
}

/** LibreChat's committed `.env`, as Compose reads it. */
function envOf(config: unknown, file = ".env"): Record<string, string> {
  const { entries, problems } = parseDotenv(generated(config).files[file]!);
  assert.equal(problems, []);
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}

test("1. a librechat.domain that is not loopback closes sign-ups, on Compose and Kubernetes", () => {
  for (const domain of ["https://chat.example.com", "http://192.168.1.20:3080", "https://tunnel.trycloudflare.com"]) {
    assert.is(envOf({ librechat: { domain } })["ALLOW_REGISTRATION"], "false", domain);
    const { stacks } = generated({ targets: ["compose", "kubernetes"], librechat: { domain } });
    assert.equal(
      stacks.map((s) => s.librechat.registration),
      [false, false],
      domain,
    );
  }
  for (const domain of ["http://localhost:3080", "http://127.0.0.1:3080", "http://chat.localhost"])
    assert.is(envOf({ librechat: { domain } })["ALLOW_REGISTRATION"], "true", domain);
  assert.is(envOf({})["ALLOW_REGISTRATION"], "true", "the default private stack");
  // Explicit still wins.
  assert.is(envOf({ librechat: { domain: "https://chat.example.com", registration: true } })["ALLOW_REGISTRATION"], "true");
  // A self-signed security domain is a name others reach the stack by, too.
  assert.is(envOf({ security: { enabled: true, domain: "chat.lan", certificates: "self-signed" } })["ALLOW_REGISTRATION"], "false");
});

/** The problems `validate` reports, as `path: message (hint)`. */
const problems = (config: unknown): string[] => validate(config).map((d) => `${d.path}: ${d.message} (${d.hint ?? ""})`);

test("1. the next steps of a stack with a public domain give the create-user command", async () => {
  const steps = await nextSteps({ librechat: { domain: "https://chat.example.com" } });
  assert.ok(
    steps.some((line) => /open https:\/\/chat\.example\.com +LibreChat \(sign-ups are off: docker compose exec librechat npm run create-user\)/.test(line)),
    steps.join("\n"),
  );
  assert.not.ok(steps.some((line) => line.includes("becomes the admin")));
});

test("2. a generated secret in librechat.env or ollama.env is an error naming the key and secrets.env", () => {
  const found = problems({
    librechat: { env: { JWT_SECRET: "mine", CREDS_KEY: "k", APP_NOTE: "fine" } },
    ollama: { env: { MEILI_MASTER_KEY: "m" } },
    monitoring: { enabled: true },
  });
  assert.is(found.length, 3, found.join("\n"));
  assert.match(found[0]!, /^librechat\.env\.CREDS_KEY: CREDS_KEY is a secret llm keeps in secrets\.env: .*committed \.env and has no effect/);
  assert.match(found[0]!, /put the line CREDS_KEY=\.\.\. in secrets\.env/);
  assert.match(found[1]!, /^librechat\.env\.JWT_SECRET: /);
  assert.match(found[2]!, /^ollama\.env\.MEILI_MASTER_KEY: .*reaches Ollama, which does not read it/);
  // A module's secret counts whether the module is on or not.
  assert.match(problems({ librechat: { env: { GRAFANA_ADMIN_PASSWORD: "x" } } })[0] ?? "", /^librechat\.env\.GRAFANA_ADMIN_PASSWORD: /);
  const file = generate({ librechat: { env: { JWT_SECRET: "leaked-value" } } });
  assert.is(file.ok, false);
});

test("4. an env map key llm wires is an error naming the typed key to use", () => {
  const cases: [unknown, string, RegExp][] = [
    [{ librechat: { env: { PORT: "4000" } } }, "librechat.env.PORT", /set librechat\.port\)$/],
    [{ ollama: { env: { OLLAMA_HOST: "127.0.0.1:11434" } } }, "ollama.env.OLLAMA_HOST", /unreachable while its healthcheck passes.*set ollama\.port/],
    [{ ollama: { env: { OLLAMA_NUM_PARALLEL: "8" } } }, "ollama.env.OLLAMA_NUM_PARALLEL", /set ollama\.numParallel\)$/],
    [{ librechat: { env: { DOMAIN_CLIENT: "https://x.example.com" } } }, "librechat.env.DOMAIN_CLIENT", /set librechat\.domain/],
    [{ librechat: { env: { ALLOW_REGISTRATION: "true" } } }, "librechat.env.ALLOW_REGISTRATION", /set librechat\.registration/],
    [{ librechat: { env: { CONFIG_PATH: "/x.yaml" } } }, "librechat.env.CONFIG_PATH", /\(remove librechat\.env\.CONFIG_PATH\)$/],
    [{ ollama: { env: { OLLAMA_MODELS: "/models" } } }, "ollama.env.OLLAMA_MODELS", /\/root\/\.ollama/],
    // The scaling module sets it on every instance after the user's map: the user's value was lost silently.
    [
      { scaling: { enabled: true }, ollama: { env: { OLLAMA_NOPRUNE: "0" } } },
      "ollama.env.OLLAMA_NOPRUNE",
      /share one models folder.*\(remove ollama\.env\.OLLAMA_NOPRUNE\)$/,
    ],
  ];
  for (const [config, path, expected] of cases) {
    const found = validate(config);
    assert.equal(
      found.map((d) => d.path),
      [path],
    );
    assert.match(`${found[0]!.message} (${found[0]!.hint})`, expected);
  }
  // Keys llm sets as a policy with no typed key follow the user's value.
  assert.is(envOf({ librechat: { env: { ALLOW_SOCIAL_LOGIN: "true" } } })["ALLOW_SOCIAL_LOGIN"], "true");
  // Without scaling llm does not set OLLAMA_NOPRUNE: the user's value reaches Ollama.
  assert.equal(validate({ ollama: { env: { OLLAMA_NOPRUNE: "1" } } }), []);
  assert.is((generated({ ollama: { env: { OLLAMA_NOPRUNE: "1" } } }).services["ollama"]!["environment"] as Record<string, string>)["OLLAMA_NOPRUNE"], "1");
});

test("4. llm explain shows the variable each value becomes in its container", async () => {
  const dir = workspaceWith("llm.config.json", JSON.stringify({ presets: ["nvidia"], ollama: { env: { OLLAMA_DEBUG: "1" } }, scaling: { enabled: true } }));
  try {
    const run = await runCli(["explain", "--json"], dir);
    assert.is(run.code, 0, run.stderr);
    const values = JSON.parse(run.stdout).values as { path: string; value: unknown; container?: string }[];
    const at = (path: string) => values.find((v) => v.path === path);
    assert.equal(at("ollama.numParallel"), { path: "ollama.numParallel", value: 4, source: "preset nvidia", container: "OLLAMA_NUM_PARALLEL=4" });
    assert.is(at("ollama.env.OLLAMA_DEBUG")?.container, "OLLAMA_DEBUG=1");
    assert.is(at("librechat.search")?.container, "SEARCH=true");
    assert.is(at("ollama.memory")?.container, undefined, "a limit is no variable");
    const human = await runCli(["explain", "ollama.numParallel"], dir);
    assert.match(human.stdout, /\nollama\.numParallel +preset nvidia +4 +OLLAMA_NUM_PARALLEL=4\n/);
  } finally {
    removeDir(dir);
  }
});

test("4. an outside MONGO_URI is a warning, and the stack starts no MongoDB of its own", () => {
  const config = { librechat: { env: { MONGO_URI: "mongodb://db.internal:27017/LibreChat" } } };
  const { services, stack, files } = generated(config);
  assert.is(services["mongodb"], undefined);
  assert.not.ok("mongodb" in services["librechat"]!.depends_on);
  assert.is(envOf(config)["MONGO_URI"], "mongodb://db.internal:27017/LibreChat");
  assert.not.ok(
    stack.secrets.some((s) => s.name === "MONGO_PASSWORD"),
    "no password for a MongoDB that is not started",
  );
  assert.not.ok(stack.dataFolders.some((f) => f.service === "mongodb"));
  assert.not.ok(files[".env"]!.includes("MONGO_PASSWORD"));
  const warning = stack.warnings.find((w) => w.path === "librechat.env.MONGO_URI");
  assert.match(warning?.message ?? "", /MongoDB at db\.internal:27017 .*starts no MongoDB of its own/);
  // Its password would be committed.
  assert.equal(
    validate({ librechat: { env: { MONGO_URI: "mongodb://u:p4ss@db.internal/LibreChat" } } }).map((d) => d.path),
    ["librechat.env.MONGO_URI"],
  );
});

test("5. with a specific bindAddress the advertised URLs are that address, not localhost", () => {
  const lan = { bindAddress: "192.168.1.20" };
  const env = envOf(lan);
  assert.is(env["DOMAIN_CLIENT"], "http://192.168.1.20:3080");
  assert.is(env["DOMAIN_SERVER"], "http://192.168.1.20:3080");
  const { stack, services } = generated(lan);
  assert.is(stack.librechat.url, "http://192.168.1.20:3080");
  assert.equal(services["librechat"]!.ports, ["192.168.1.20:3080:3080"], "the URL is where the port is published");
  for (const bindAddress of ["127.0.0.1", "0.0.0.0"]) assert.is(envOf({ bindAddress })["DOMAIN_CLIENT"], "http://localhost:3080", bindAddress);
  assert.is(envOf({ bindAddress: "127.0.0.2" })["DOMAIN_CLIENT"], "http://127.0.0.2:3080", "localhost is 127.0.0.1 only");
  // The domain still wins; on Kubernetes port-forward serves localhost whatever the Compose host binds.
  assert.is(envOf({ ...lan, librechat: { domain: "https://chat.example.com" } })["DOMAIN_CLIENT"], "https://chat.example.com");
  assert.is(generated({ ...lan, targets: ["kubernetes"] }).stack.librechat.url, "http://localhost:3080");
});

test("9. a librechat.titleModel that is not pulled is pulled too, with a notice", () => {
  const { stack, services } = generated({ models: ["llama3.2:3b"], librechat: { titleModel: "qwen2.5:0.5b" } });
  assert.equal(services["ollama-pull"]!.command, ["llama3.2:3b", "qwen2.5:0.5b"]);
  assert.match(stack.warnings.find((w) => w.path === "librechat.titleModel")?.message ?? "", /"qwen2\.5:0\.5b" is not in models: it is pulled too/);
  // Declared under another of its names: nothing added, nothing said.
  const aliased = generated({ models: ["qwen2.5"], librechat: { titleModel: "qwen2.5:latest" } });
  assert.equal(aliased.services["ollama-pull"]!.command, ["qwen2.5"]);
  assert.not.ok(aliased.stack.warnings.some((w) => w.path === "librechat.titleModel"));
});

test("9. two names of one model (x and x:latest) are a duplicate", () => {
  const found = validate({ models: ["llama3.2", "Llama3.2:latest", { name: "registry.ollama.ai/library/llama3.2" }] });
  assert.equal(
    found.map((d) => d.path),
    ["models[1]", "models[2]"],
  );
  assert.match(found[0]!.message, /"Llama3\.2:latest" is the same model as "llama3\.2" at models\[0\]/);
  assert.equal(validate({ models: ["llama3.2:1b", "llama3.2:3b"] }), []);
});

test("9. control characters in env values are an error naming the key", () => {
  for (const value of ["a\u0000b", "\u001b[31mred", "line\r"]) {
    const found = validate({ librechat: { env: { NOTE: value } }, ollama: { env: { OLLAMA_DEBUG: value } } });
    assert.equal(found.map((d) => d.path).sort(), ["librechat.env.NOTE", "ollama.env.OLLAMA_DEBUG"], JSON.stringify(value));
    assert.match(found[0]!.message + (found[0]!.hint ?? ""), /control characters/);
  }
  assert.equal(validate({ librechat: { env: { NOTE: "tab\there\nand a line" } } }), []);
});

test("9. search: false wires neither Meilisearch's host nor its key into LibreChat", () => {
  for (const targets of [["compose"], ["kubernetes"]]) {
    const { files, stack } = generated({ targets, librechat: { search: false } });
    const everything = Object.values(files).join("\n");
    assert.not.match(everything, /MEILI_HOST|MEILI_MASTER_KEY|meilisearch:7700/, targets[0]);
    assert.not.ok(
      stack.privateFiles.some((f) => f.content.kind === "env" && f.content.vars.some((v) => v.name.startsWith("MEILI"))),
      "no Meilisearch key in LibreChat's secrets",
    );
    assert.not.ok(stack.services.some((s) => s.name === "meilisearch"));
  }
});

const groq = (index: number, fields: Record<string, string> = {}) => ({
  name: index === 0 ? "Groq" : `Other${index}`,
  apiKey: "${GROQ_API_KEY}",
  baseURL: "https://api.groq.com/openai/v1",
  models: { default: ["llama-3.1-8b-instant"] },
  ...fields,
});

test("3. the stack knows each ${NAME} LibreChat substitutes: apiKey and baseURL, not names or titles", () => {
  const { stack } = generated({
    librechat: {
      endpoints: [groq(0, { baseURL: "https://${GROQ_HOST}/openai/v1", modelDisplayLabel: "${NOT_SUBSTITUTED}", titleModel: "${NOR_THIS}" })],
    },
  });
  assert.equal(
    stack.librechat.references.map((r) => `${r.path} ${r.name} ${r.whole}`),
    ["librechat.endpoints[0].apiKey GROQ_API_KEY true", "librechat.endpoints[0].baseURL GROQ_HOST false"],
  );
  // A name the committed .env defines (librechat.env) needs nothing in secrets.env; an empty value counts as unset.
  const defined = generated({ librechat: { env: { GROQ_HOST: "api.groq.com" }, endpoints: [groq(0, { baseURL: "https://${GROQ_HOST}/openai/v1" })] } });
  assert.equal(
    unsetReferences(defined.stack, "GROQ_API_KEY=\n").map((n) => n.path),
    ["librechat.endpoints[0].apiKey"],
  );
  assert.equal(unsetReferences(defined.stack, "GROQ_API_KEY=gsk_1\n"), []);
});

test("3. a ${NAME} of a stack secret, or one LibreChat never substitutes, is an error", () => {
  const found = problems({
    librechat: {
      endpoints: [
        groq(0, { apiKey: "${JWT_SECRET}" }),
        groq(1, { apiKey: "${GRAFANA_ADMIN_PASSWORD}" }),
        groq(2, { baseURL: "https://${MONGO_URI}/v1" }),
        groq(3, { baseURL: "https://${a-b}/v1" }),
      ],
    },
  });
  assert.is(found.length, 4, found.join("\n"));
  assert.match(found[0]!, /^librechat\.endpoints\[0\]\.apiKey: LibreChat never substitutes \$\{JWT_SECRET\}/);
  assert.match(found[1]!, /^librechat\.endpoints\[1\]\.apiKey: \$\{GRAFANA_ADMIN_PASSWORD\} is a secret llm generates .* sent to Other1/);
  assert.match(found[2]!, /^librechat\.endpoints\[2\]\.baseURL: LibreChat never substitutes \$\{MONGO_URI\}/);
  assert.match(found[3]!, /^librechat\.endpoints\[3\]\.baseURL: \$\{a-b\} is not a variable name/);
});

test("3. generate, validate and doctor warn for an unset ${NAME}; secrets lists it; secrets set stores it for both targets", async () => {
  const config = { targets: ["compose", "kubernetes"], librechat: { endpoints: [groq(0)] } };
  const dir = workspaceWith("llm.config.json", JSON.stringify(config));
  try {
    const expected =
      /warning: llm\.config\.json: librechat\.endpoints\[0\]\.apiKey: \$\{GROQ_API_KEY\} is not set in secrets\.env: LibreChat answers the first request to Groq with "Missing API Key for Groq\."\n {4}fix: add the line GROQ_API_KEY=<value> to secrets\.env, or run `llm secrets set GROQ_API_KEY`/;
    const first = await runCli(["generate"], dir);
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stderr, expected);
    const validated = await runCli(["validate"], dir);
    assert.is(validated.code, 0, validated.stderr);
    assert.match(validated.stderr, expected);
    const doctor = await runCli(["doctor", "--json"], dir, { io: { host: undefined } });
    const checks = JSON.parse(doctor.stdout).checks as { id: string; status: string; message: string; fix?: string }[];
    assert.ok(
      checks.some(
        (c) =>
          c.status === "warn" &&
          c.message.startsWith("librechat.endpoints[0].apiKey: ${GROQ_API_KEY} is not set") &&
          c.fix?.includes("llm secrets set GROQ_API_KEY"),
      ),
      JSON.stringify(checks),
    );
    const listed = JSON.parse((await runCli(["secrets", "--json"], dir)).stdout).secrets as { name: string; status: string; own: boolean }[];
    assert.equal(
      listed.find((s) => s.name === "GROQ_API_KEY"),
      { name: "GROQ_API_KEY", status: "missing", usedBy: ["librechat"], own: true, breaksStoredData: false },
    );

    const human = await runCli(["secrets"], dir);
    assert.match(human.stdout, /\n {2}GROQ_API_KEY +missing +librechat \(yours\)\n/);
    assert.match(human.stdout, /\nSet yours \(an endpoint names it as \$\{NAME\}\): llm secrets set GROQ_API_KEY\n/);

    // Never an argument: refused, nothing written.
    const before = readFileSync(path.join(dir, "secrets.env"), "utf8");
    const inArgv = await runCli(["secrets", "set", "GROQ_API_KEY", "gsk_in_argv"], dir, { io: { readStdin: async () => "x" } });
    assert.is(inArgv.code, 2);
    assert.match(inArgv.stderr, /never as an argument/);
    assert.not.ok(inArgv.stderr.includes("gsk_in_argv"), "the value is not echoed back");
    assert.is(readFileSync(path.join(dir, "secrets.env"), "utf8"), before);

    // kustomize would keep quotes as part of the value: refused before anything is written.
    const quoted = await runCli(["secrets", "set", "GROQ_API_KEY"], dir, { io: { readStdin: async () => "has 'quotes' and #" } });
    assert.is(quoted.code, 2);
    assert.match(quoted.stderr, /kustomize would read otherwise than Compose/);
    assert.is(readFileSync(path.join(dir, "secrets.env"), "utf8"), before);

    const value = "gsk_live-1234567890abcdef";
    const set = await runCli(["secrets", "set", "GROQ_API_KEY"], dir, { io: { readStdin: async () => `${value}\n` } });
    assert.is(set.code, 0, set.stderr);
    assert.not.ok(set.stdout.includes(value) || set.stderr.includes(value), "the value is never printed");
    assert.match(
      set.stdout,
      /^Set GROQ_API_KEY in secrets\.env \(and .*secrets\/librechat\.env.*\)\.\nApply it: docker compose up -d --force-recreate librechat\n$/,
    );
    const read = (file: string) => Object.fromEntries(parseDotenv(readFileSync(path.join(dir, file), "utf8")).entries.map((e) => [e.key, e.value]));
    assert.is(read("secrets.env")["GROQ_API_KEY"], value, "Compose reads back exactly what was given");
    assert.is(statSync(path.join(dir, "secrets.env")).mode & 0o777, 0o600);
    // The service that references it receives it: LibreChat's env file on Compose, the user
    // Secret's file on Kubernetes (kustomize keeps every character after "=").
    assert.is(read("secrets/librechat.env")["GROQ_API_KEY"], value);
    assert.ok(readFileSync(path.join(dir, "secrets/user-secrets.env"), "utf8").split("\n").includes(`GROQ_API_KEY=${value}`));

    const after = await runCli(["generate"], dir);
    assert.not.match(after.stderr, /GROQ_API_KEY/, "no warning once it is set");
    const listedAfter = JSON.parse((await runCli(["secrets", "--json"], dir)).stdout).secrets as { name: string; status: string }[];
    assert.is(listedAfter.find((s) => s.name === "GROQ_API_KEY")?.status, "set");

    // A prompt that does not echo, when stdin is a terminal.
    let asked = "";
    const prompted = await runCli(["secrets", "set", "GROQ_API_KEY"], dir, {
      io: {
        promptHidden: async (question) => {
          asked = question;
          return "gsk_typed";
        },
      },
    });
    assert.is(prompted.code, 0, prompted.stderr);
    assert.is(asked, "GROQ_API_KEY (not shown as you type): ");
    assert.is(read("secrets.env")["GROQ_API_KEY"], "gsk_typed");
    // Compose alone reads any value back exactly, quotes, "#" and "$" included.
    writeFileSync(path.join(dir, "llm.config.json"), JSON.stringify({ ...config, targets: ["compose"] }));
    const tricky = "gsk 'quoted' #not-a-comment $HOME \\";
    assert.is((await runCli(["secrets", "set", "GROQ_API_KEY"], dir, { io: { readStdin: async () => tricky } })).code, 0);
    assert.is(read("secrets.env")["GROQ_API_KEY"], tricky);
    assert.is(read("secrets/librechat.env")["GROQ_API_KEY"], tricky);
    // A generated secret is rotated, not set; an empty value is refused.
    assert.match(
      (await runCli(["secrets", "set", "JWT_SECRET"], dir, { io: { readStdin: async () => "x".repeat(40) } })).stderr,
      /llm secrets rotate JWT_SECRET/,
    );
    assert.match((await runCli(["secrets", "set", "GROQ_API_KEY"], dir, { io: { readStdin: async () => "\n" } })).stderr, /the value is empty/);
  } finally {
    removeDir(dir);
  }
});

test("3. at a real terminal, llm secrets set echoes nothing of what is typed", async () => {
  const dir = workspaceWith("llm.config.json", JSON.stringify({ librechat: { endpoints: [groq(0)] } }));
  try {
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    const typed = "gsk_typed_at_a_terminal_0123456789";
    // util-linux's script gives the command a pseudo-terminal: stdin is a TTY, as for a person.
    const child = spawn("script", ["-qfec", `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} secrets set GROQ_API_KEY`, "/dev/null"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", LLM_CACHE_DIR: "off" },
    });
    let screen = "";
    child.stdout.on("data", (chunk: Buffer) => {
      screen += chunk.toString("utf8");
      if (screen.includes("(not shown as you type): ") && !child.stdin.writableEnded) child.stdin.end(`${typed}\r`);
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.is(code, 0, screen);
    assert.match(screen, /Set GROQ_API_KEY in secrets\.env/);
    assert.not.ok(screen.includes(typed.slice(0, 8)), `the terminal showed what was typed:\n${screen}`);
    assert.is(Object.fromEntries(parseDotenv(readFileSync(path.join(dir, "secrets.env"), "utf8")).entries.map((e) => [e.key, e.value]))["GROQ_API_KEY"], typed);
  } finally {
    removeDir(dir);
  }
});

/** The lines `llm generate` prints after the files: its next steps. */
async function nextSteps(config: unknown): Promise<string[]> {
  const dir = workspaceWith("llm.config.json", JSON.stringify(config));
  try {
    const run = await runCli(["generate"], dir);
    assert.is(run.code, 0, run.stderr);
    return run.stdout.slice(run.stdout.indexOf("Next steps")).split("\n");
  } finally {
    removeDir(dir);
  }
}

test("8. with security and monitoring the next steps name the basic-auth gate and Prometheus' URL", async () => {
  const steps = await nextSteps({
    security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" },
    monitoring: { enabled: true },
  });
  assert.ok(steps.includes("  Grafana: https://grafana.chat.example.com/ (user admin, password GRAFANA_ADMIN_PASSWORD in secrets.env)"), steps.join("\n"));
  assert.ok(steps.includes("  Prometheus: https://prometheus.chat.example.com/ (no login of its own)"), steps.join("\n"));
  assert.ok(
    steps.includes(
      "  https://grafana.chat.example.com/ and https://prometheus.chat.example.com/ ask first for Traefik's basic auth: user admin, password TRAEFIK_BASIC_AUTH_PASSWORD in secrets.env",
    ),
    steps.join("\n"),
  );
  // Without security: the loopback ports, no gate.
  const plain = await nextSteps({ monitoring: { enabled: true } });
  assert.ok(plain.includes("  Prometheus: http://localhost:9090/ (no login of its own)"), plain.join("\n"));
  assert.not.ok(plain.some((line) => line.includes("basic auth")));
  // Kubernetes: each UI through its own port-forward.
  const cluster = await nextSteps({ targets: ["kubernetes"], monitoring: { enabled: true } });
  assert.ok(
    cluster.includes("  Prometheus: `kubectl -n llm-stack port-forward svc/prometheus 9090:9090`, then http://localhost:9090/ (no login of its own)"),
    cluster.join("\n"),
  );
});

test("6. self-signed TLS binds where bindAddress says, warns when a LAN name cannot reach it, and says where the names must resolve", async () => {
  const lan = { security: { enabled: true, domain: "chat.lan", certificates: "self-signed" }, monitoring: { enabled: true } };
  const local = generated(lan);
  assert.equal(local.services["traefik"]!.ports, ["127.0.0.1:80:80", "127.0.0.1:443:443"]);
  const warning = local.stack.warnings.find((w) => w.path === "bindAddress");
  assert.match(warning?.message ?? "", /Traefik listens on bindAddress 127\.0\.0\.1 only, so other machines cannot reach https:\/\/chat\.lan/);
  assert.match(warning?.hint ?? "", /set bindAddress to this machine's LAN address/);

  const wide = { ...lan, bindAddress: "192.168.1.20" };
  const open = generated(wide);
  assert.equal(open.services["traefik"]!.ports, ["192.168.1.20:80:80", "192.168.1.20:443:443"]);
  assert.not.ok(
    open.stack.warnings.some((w) => w.path === "bindAddress"),
    "nothing to say once it listens on the LAN",
  );
  const steps = await nextSteps(wide);
  assert.ok(
    steps.includes(
      "  Traefik serves https:// with its own self-signed certificate on 192.168.1.20, ports 80 and 443: chat.lan, grafana.chat.lan, prometheus.chat.lan must resolve to 192.168.1.20 for every client (DNS, or each client's hosts file); browsers warn until the certificate is trusted",
    ),
    steps.join("\n"),
  );
  assert.not.ok(
    steps.some((line) => line.includes("plain HTTP")),
    "TLS is in front",
  );
  // A name for this machine alone needs no LAN.
  assert.not.ok(
    generated({ security: { enabled: true, domain: "localhost", certificates: "self-signed" } }).stack.warnings.some((w) => w.path === "bindAddress"),
  );
});

test("7. a later preset that changes what an earlier one is for warns, naming each value and the order that keeps it", async () => {
  const { stack, services } = generated({ presets: ["low-ram", "nvidia"] });
  assert.is(services["ollama"]!.environment.OLLAMA_NUM_PARALLEL, "4", "the merge order itself is unchanged: later wins");
  const warnings = stack.warnings.filter((w) => w.path === "presets");
  assert.is(warnings.length, 1);
  assert.match(
    warnings[0]!.message,
    /^preset nvidia, listed after low-ram, undoes what low-ram is for: ollama\.memory "4g" → "16g" \(low-ram: .*\); ollama\.numParallel 1 → 4 /,
  );
  assert.match(warnings[0]!.hint ?? "", /list low-ram last to keep its values \(presets: \["nvidia","low-ram"\]\)/);
  // The order that keeps low-ram's point, and the user's own file overriding it, say nothing.
  assert.not.ok(generated({ presets: ["nvidia", "low-ram"] }).stack.warnings.some((w) => w.path === "presets"));
  assert.not.ok(generated({ presets: ["low-ram"], ollama: { memory: "6g" } }).stack.warnings.some((w) => w.path === "presets"));
  // `llm presets` says the merge order; `show` marks the values that are the point.
  const dir = workspaceWith("llm.config.json", "{}");
  try {
    const listed = await runCli(["presets"], dir);
    assert.match(listed.stdout, /Merge order, later wins: the built-in defaults < each preset in the order listed < your config file < --set\./);
    const shown = await runCli(["presets", "show", "low-ram"], dir);
    assert.match(shown.stdout, /\n {2}ollama\.numParallel {13}1 {7}the point: each parallel request holds its own KV cache in memory\n/);
  } finally {
    removeDir(dir);
  }
});

test("7. every preset reason names a value its preset sets", () => {
  for (const name of presetNames()) {
    const preset = findPreset(name)!;
    const paths = leaves(preset.values as Record<string, unknown>)
      .filter((leaf) => leaf.value !== null)
      .map((leaf) => leaf.path);
    for (const path of Object.keys(preset.reasons)) assert.ok(paths.includes(path), `${name}: reasons.${path} names no value it sets`);
  }
  assert.ok(Object.keys(findPreset("low-ram")!.reasons).length > 0);
});

test.run();
