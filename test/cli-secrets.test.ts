// `llm secrets`: names, state and readers (never values); rotating one secret, with a loud
// confirmation for those that make stored data unreadable.
import { appendFileSync, chmodSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseSecrets } from "../src/secrets/store.js";
import { assertGoldenText } from "./helpers/golden-text.js";
import { EXAMPLES } from "./helpers/paths.js";
import { copyExample, removeDir, runCli, seededRandom, snapshot } from "./helpers/workspace.js";

const test = suite("llm secrets: list without values, rotate one");

let dir = "";
const secretsFile = () => readFileSync(path.join(dir, "secrets.env"), "utf8");
const values = () => [...parseSecrets(secretsFile()).values()].map((v) => v.value);

/** No secret value may appear anywhere in what the command printed. */
function assertNoValues(text: string, secrets: string[]) {
  for (const value of secrets) assert.not.ok(text.includes(value), "a secret value was printed");
}

test.before.each(async () => {
  dir = copyExample(path.join(EXAMPLES, "custom-endpoints"));
  const run = await runCli(["generate", "--quiet"], dir);
  assert.is(run.code, 0, run.stderr);
});
test.after.each(() => removeDir(dir));

test("lists every secret, its state and its readers, never a value (golden)", async () => {
  appendFileSync(path.join(dir, "secrets.env"), "OPENROUTER_KEY=sk-or-test-1234567890\n");
  const run = await runCli(["secrets"], dir);
  assert.is(run.code, 0, run.stderr);
  assertGoldenText("secrets-list", run.stdout);
  assertNoValues(run.stdout + run.stderr, values());
});

test("--json: state of each secret, mode, readers; no values", async () => {
  const edited = secretsFile()
    .replace(/^MEILI_MASTER_KEY=.*\n/m, "")
    .replace(/^CREDS_IV=.*$/m, "CREDS_IV=nothex");
  writeFileSync(path.join(dir, "secrets.env"), edited);
  chmodSync(path.join(dir, "secrets.env"), 0o644);
  const run = await runCli(["secrets", "--json"], dir);
  assert.is(run.code, 0);
  const out = JSON.parse(run.stdout);
  assert.is(out.mode, "0644");
  const state = Object.fromEntries(out.secrets.map((s: { name: string; status: string }) => [s.name, s.status]));
  assert.equal(state, {
    CREDS_IV: "invalid",
    CREDS_KEY: "set",
    JWT_REFRESH_SECRET: "set",
    JWT_SECRET: "set",
    MEILI_MASTER_KEY: "missing",
    MONGO_PASSWORD: "set",
    // librechat.endpoints[0].apiKey is "${OPENROUTER_KEY}", which only secrets.env can set.
    OPENROUTER_KEY: "missing",
  });
  assert.equal(out.secrets.find((s: { name: string }) => s.name === "MEILI_MASTER_KEY").usedBy, ["librechat", "meilisearch"]);
  assert.is(out.secrets.find((s: { name: string }) => s.name === "CREDS_KEY").breaksStoredData, true);
  assertNoValues(run.stdout, values());
  const human = await runCli(["secrets"], dir);
  assert.match(human.stdout, "warning: secrets.env has mode 0644, readable by others: chmod 600 secrets.env");
});

test("rotate JWT_SECRET: only that line changes, mode stays 0600, the value is never printed", async () => {
  const before = secretsFile();
  const run = await runCli(["secrets", "rotate", "JWT_SECRET"], dir, { random: seededRandom("rotation") });
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, "Rotated JWT_SECRET in secrets.env (and secrets/librechat.env).\nApply it: docker compose up -d --force-recreate librechat\n");
  assert.is(run.stderr, "warning: rotating JWT_SECRET: Every user is signed out.\n");
  const after = secretsFile();
  const changed = after.split("\n").filter((line, i) => line !== before.split("\n")[i]);
  assert.is(changed.length, 1);
  assert.match(changed[0] ?? "", /^JWT_SECRET=[0-9a-f]{64}$/);
  assert.is(statSync(path.join(dir, "secrets.env")).mode & 0o777, 0o600);
  assertNoValues(
    run.stdout + run.stderr,
    [...values(), ...parseSecrets(before).values()].map((v) => (typeof v === "string" ? v : v.value)),
  );
  // LibreChat's own env file already carries the new value; generate afterwards keeps it.
  const jwt = parseSecrets(after).get("JWT_SECRET")!.value;
  assert.is(parseSecrets(readFileSync(path.join(dir, "secrets", "librechat.env"), "utf8")).get("JWT_SECRET")?.value, jwt);
  const again = await runCli(["generate", "--json"], dir);
  assert.equal(JSON.parse(again.stdout).written, []);
  assert.is(secretsFile(), after);
});

test("rotate CREDS_KEY without --yes and nobody to ask: refused, loud warning, nothing changed", async () => {
  const before = snapshot(dir);
  const run = await runCli(["secrets", "rotate", "CREDS_KEY"], dir);
  assert.is(run.code, 2);
  assertGoldenText("secrets-rotate-creds-refused", run.stderr);
  assert.equal(snapshot(dir), before);
});

test("rotate CREDS_IV asks at a terminal: no keeps the file, yes rotates", async () => {
  const before = snapshot(dir);
  const questions: string[] = [];
  const no = await runCli(["secrets", "rotate", "CREDS_IV"], dir, { io: { prompt: async (q) => (questions.push(q), "n") } });
  assert.is(no.code, 2);
  assert.equal(questions, ["Rotate CREDS_IV? [y/N] "]);
  assert.equal(snapshot(dir), before);
  const old = parseSecrets(secretsFile()).get("CREDS_IV")?.value;
  const yes = await runCli(["secrets", "rotate", "CREDS_IV"], dir, { io: { prompt: async () => "yes\n" } });
  assert.is(yes.code, 0, yes.stderr);
  const now = parseSecrets(secretsFile()).get("CREDS_IV")?.value;
  assert.match(now ?? "", /^[0-9a-f]{32}$/);
  assert.is.not(now, old);
});

test("rotate CREDS_KEY --yes --json rotates without asking", async () => {
  const old = parseSecrets(secretsFile()).get("CREDS_KEY")?.value;
  const run = await runCli(["secrets", "rotate", "CREDS_KEY", "--yes", "--json"], dir, {
    io: { prompt: async () => assert.unreachable("must not ask") as never },
  });
  assert.is(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), {
    ok: true,
    rotated: "CREDS_KEY",
    file: "secrets.env",
    written: ["secrets/librechat.env"],
    restart: ["librechat"],
    warning: "LibreChat can no longer decrypt stored user API keys and credentials; users must enter them again.",
  });
  assert.is.not(parseSecrets(secretsFile()).get("CREDS_KEY")?.value, old);
  assertNoValues(run.stdout, values());
});

test("unknown names, the user's own keys and a missing secrets.env are clear errors", async () => {
  const typo = await runCli(["secrets", "rotate", "JWT_SECRT"], dir);
  assert.is(typo.code, 2);
  assert.is(
    typo.stderr,
    'error SECRET_UNKNOWN: unknown secret "JWT_SECRT"; did you mean "JWT_SECRET"?\nhint: llm can rotate CREDS_IV, CREDS_KEY, JWT_REFRESH_SECRET, JWT_SECRET, MEILI_MASTER_KEY, MONGO_PASSWORD\n',
  );
  appendFileSync(path.join(dir, "secrets.env"), "OPENROUTER_KEY=sk-or-test\n");
  const own = await runCli(["secrets", "rotate", "OPENROUTER_KEY"], dir);
  assert.is(
    own.stderr,
    "error SECRET_UNKNOWN: OPENROUTER_KEY is your own secret: llm does not generate it\nhint: give it a new value with `llm secrets set OPENROUTER_KEY`, or edit it in secrets.env\n",
  );
  rmSync(path.join(dir, "secrets.env"));
  const missing = await runCli(["secrets", "rotate", "JWT_SECRET"], dir);
  assert.is(missing.code, 2);
  assert.is(missing.stderr, "error SECRETS_NOT_FOUND: secrets.env does not exist yet\nhint: run `llm generate`: it creates every secret\n");
  const list = await runCli(["secrets"], dir);
  assert.match(list.stdout, "secrets.env (not created yet: llm generate creates it): values are never shown");
  const noName = await runCli(["secrets", "rotate"], dir);
  assert.is(noName.stderr, "error USAGE: name the secret to rotate\nhint: llm secrets rotate JWT_SECRET (llm secrets lists them)\n");
});

test("the modules' generated secrets are the tool's, with the readers the stack wires (scaling, monitoring)", async () => {
  const work = copyExample(path.join(EXAMPLES, "all-modules"));
  try {
    assert.is((await runCli(["generate", "--quiet"], work)).code, 0);
    appendFileSync(path.join(work, "secrets.env"), "OPENROUTER_KEY=sk-or-test-1234567890\n");
    const run = await runCli(["secrets", "--json"], work);
    const listed = Object.fromEntries((JSON.parse(run.stdout).secrets as { name: string; usedBy: string[]; own: boolean }[]).map((s) => [s.name, s]));
    // Before: METRICS_SECRET and GRAFANA_ADMIN_PASSWORD were called "(yours)", read by every service with secrets.env.
    assert.equal(listed["METRICS_SECRET"], { ...listed["METRICS_SECRET"]!, usedBy: ["librechat-1", "librechat-2", "prometheus"], own: false });
    assert.equal(listed["GRAFANA_ADMIN_PASSWORD"], { ...listed["GRAFANA_ADMIN_PASSWORD"]!, usedBy: ["grafana"], own: false });
    assert.equal(listed["REDIS_PASSWORD"], { ...listed["REDIS_PASSWORD"]!, usedBy: ["librechat-1", "librechat-2", "redis"], own: false });
    assert.equal(listed["TRAEFIK_BASIC_AUTH_PASSWORD"], { ...listed["TRAEFIK_BASIC_AUTH_PASSWORD"]!, usedBy: ["traefik"], own: false });
    // The user's own key goes to LibreChat only, and is listed as theirs.
    assert.equal(listed["OPENROUTER_KEY"], { ...listed["OPENROUTER_KEY"]!, usedBy: ["librechat-1", "librechat-2"], own: true });
    // Before: SECRET_UNKNOWN, and with scaling an empty restart list (`--force-recreate` of everything).
    const rotated = await runCli(["secrets", "rotate", "METRICS_SECRET", "--json"], work, { random: seededRandom("m") });
    assert.is(rotated.code, 0, rotated.stderr);
    const out = JSON.parse(rotated.stdout) as { restart: string[]; written: string[] };
    assert.equal(out.restart, ["librechat-1", "librechat-2", "prometheus"]);
    // (The htpasswd line's check record follows secrets.env: src/secrets/private-files.ts. The
    // example has the Kubernetes target too: the key added above reaches its Secret's file.)
    assert.equal(out.written, ["secrets/librechat.env", "secrets/metrics-token", "secrets/traefik-users.checked", "secrets/user-secrets.env"]);
    const human = await runCli(["secrets", "rotate", "MEILI_MASTER_KEY"], work, { random: seededRandom("k") });
    assert.match(human.stdout, "Apply it: docker compose up -d --force-recreate librechat-1 librechat-2 meilisearch\n");
  } finally {
    removeDir(work);
  }
});

test("validate rejects the secrets.env that generate rejects, module secrets included", async () => {
  const work = copyExample(path.join(EXAMPLES, "monitoring"));
  try {
    assert.is((await runCli(["generate", "--quiet"], work)).code, 0);
    const file = path.join(work, "secrets.env");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^GRAFANA_ADMIN_PASSWORD=.*$/m, "GRAFANA_ADMIN_PASSWORD=short"));
    const before = snapshot(work);
    const generate = await runCli(["generate"], work);
    const validate = await runCli(["validate"], work);
    assert.is(generate.code, 2);
    // Before: "llm.config.ts is valid" with exit 0, since validate knew only the core's secrets.
    assert.is(validate.code, 2);
    assert.match(validate.stderr, "error SECRETS_INVALID");
    assert.match(validate.stderr, "GRAFANA_ADMIN_PASSWORD (line");
    assert.equal(snapshot(work), before);
  } finally {
    removeDir(work);
  }
});

test("a value pasted into the arguments is never echoed: not by set, rotate, an unknown action or a stray argument", async () => {
  const key = "sk-proj-Zq8xV3mN0pL5tR2wY7uK";
  const before = snapshot(dir);
  let asked = 0;
  const stdin = { io: { readStdin: async () => (asked++, "x") } };
  const set = await runCli(["secrets", "set", `OPENAI_API_KEY=${key}`], dir, stdin);
  assert.is(set.code, 2);
  assert.is(
    set.stderr,
    'error USAGE: the argument holds "=": OPENAI_API_KEY was not set, and the value is not taken from the command line (shell history, ps)\nhint: pass the value on stdin or at the prompt: printf %s "$VALUE" | llm secrets set OPENAI_API_KEY\n',
  );
  assert.is(asked, 0, "no value is asked for a name that is refused");
  const runs = [
    set,
    await runCli(["secrets", "set", `OPENAI_API_KEY=${key}`, "--json"], dir, stdin),
    await runCli(["secrets", "set", key], dir, stdin),
    await runCli(["secrets", "rotate", `JWT_SECRET=${key}`], dir),
    await runCli(["secrets", key], dir),
    await runCli(["secrets", key, "--json"], dir),
    await runCli(["secrets", "rotat", key], dir),
    await runCli(["secrets", "list", key], dir),
  ];
  for (const run of runs) {
    assert.is(run.code, 2, run.stdout + run.stderr);
    assert.not.ok((run.stdout + run.stderr).includes("Zq8xV3mN0pL5tR2wY7uK"), `the key is echoed: ${run.stdout}${run.stderr}`);
  }
  assert.is(
    runs[4]!.stderr,
    "error USAGE: unknown action (not shown: it may be a secret): expected list, rotate or set\nhint: to rotate a secret: llm secrets rotate NAME\n",
  );
  assert.equal(snapshot(dir), before);
});

test("set refuses the variables llm wires; generate and validate refuse them in secrets.env, by name and line", async () => {
  const before = snapshot(dir);
  for (const [name, expected] of [
    ["REDIS_URI", "REDIS_URI is wired by llm from scaling.enabled"],
    ["CONFIG_PATH", "CONFIG_PATH is wired by llm: the generated librechat.yaml"],
    ["HOST", "HOST is wired by llm from bindAddress"],
    ["DOMAIN_CLIENT", "DOMAIN_CLIENT is wired by llm from librechat.domain"],
    ["MONGO_URI", "MONGO_URI is wired by llm from librechat.env.MONGO_URI"],
    ["OLLAMA_HOST", "OLLAMA_HOST is Ollama's, wired by llm from ollama.port"],
  ] as const) {
    let asked = 0;
    const run = await runCli(["secrets", "set", name], dir, { io: { readStdin: async () => (asked++, "redis://:pw@elsewhere:6379") } });
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, `error USAGE: ${name} was not set: ${expected}`);
    assert.is(asked, 0, `${name}: no value is asked for`);
  }
  assert.equal(snapshot(dir), before);

  appendFileSync(path.join(dir, "secrets.env"), "OPENROUTER_KEY=sk-or-test-1234567890\nREDIS_URI=redis://:pw@elsewhere:6379\n");
  const lines = secretsFile().split("\n").length - 1;
  const edited = snapshot(dir);
  for (const command of [["generate"], ["validate"]]) {
    const run = await runCli(command, dir);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, "error SECRETS_INVALID: secrets.env sets REDIS_URI, which llm wires itself");
    assert.match(run.stderr, `secrets.env: REDIS_URI (line ${lines}): REDIS_URI is wired by llm from scaling.enabled`);
    assert.not.ok(run.stderr.includes("elsewhere"), "the value is not shown");
  }
  assert.equal(snapshot(dir), edited);
});

test("set and rotate leave secrets.env exactly as it was (bytes and mode) when the regenerate fails", async () => {
  appendFileSync(path.join(dir, "docker-compose.yml"), "# edited by hand\n");
  chmodSync(path.join(dir, "secrets.env"), 0o640);
  const file = path.join(dir, "secrets.env");
  const before = { text: secretsFile(), mode: statSync(file).mode & 0o777 };
  const set = await runCli(["secrets", "set", "HELICONE_KEY"], dir, { io: { readStdin: async () => "hk-value-1234567890" } });
  assert.is(set.code, 4, set.stderr);
  assert.match(set.stderr, "error OUTPUT_EDITED");
  assert.equal({ text: secretsFile(), mode: statSync(file).mode & 0o777 }, before, "after set");
  const rotate = await runCli(["secrets", "rotate", "JWT_SECRET"], dir, { random: seededRandom("r") });
  assert.is(rotate.code, 4, rotate.stderr);
  assert.equal({ text: secretsFile(), mode: statSync(file).mode & 0o777 }, before, "after rotate");
  assert.not.ok(readFileSync(path.join(dir, "secrets", "librechat.env"), "utf8").includes("HELICONE_KEY"));
});

test.run();
