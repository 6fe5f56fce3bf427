// `llm init --from DIR` on a LibreChat folder built from LibreChat v0.8.7's own files
// (test/fixtures/adopt): the secrets survive byte for byte into secrets.env and nowhere else, the
// endpoints keep their models, Meilisearch keeps its version, and what has no place is listed.
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseLibreChatEnv } from "../src/secrets/librechat-dotenv.js";
import { parseSecrets } from "../src/secrets/store.js";
import { FIXTURE, FIXTURE_SECRETS } from "./helpers/adopt-fixture.js";
import { removeDir, runCli, snapshot, tempDir, type CliRun } from "./helpers/workspace.js";

const test = suite("llm init --from: adopt an existing LibreChat");

/** A new folder holding a copy of the LibreChat folder as `old/`. */
function withOldFolder(edit?: (dir: string) => void): string {
  const dir = tempDir("llm-adopt-");
  cpSync(FIXTURE, path.join(dir, "old"), { recursive: true });
  edit?.(path.join(dir, "old"));
  return dir;
}

const outputs: { what: string; run: CliRun }[] = [];
async function cli(argv: string[], dir: string): Promise<CliRun> {
  const run = await runCli(argv, dir);
  outputs.push({ what: argv.join(" "), run });
  return run;
}

function assertNoSecretIn(text: string, where: string): void {
  for (const [name, value] of Object.entries(FIXTURE_SECRETS)) assert.not.ok(text.includes(value), `${where} holds ${name}`);
}

/** Every file below `dir` except the LibreChat folder itself, secrets.env and secrets/ (the
 * gitignored files whose job is to hold them). */
function committedFiles(dir: string, sub = ""): string[] {
  return readdirSync(path.join(dir, sub)).flatMap((name) => {
    const rel = sub ? `${sub}/${name}` : name;
    if (rel === "old" || rel === "secrets.env" || rel === "secrets" || rel === ".llm/tx") return [];
    return statSync(path.join(dir, rel)).isDirectory() ? committedFiles(dir, rel) : [rel];
  });
}

const secretsOf = (dir: string) => new Map([...parseSecrets(readFileSync(path.join(dir, "secrets.env"), "utf8"))].map(([k, v]) => [k, v.value]));

test("LibreChat's .env is read as its dotenv reads it, not as Compose does", () => {
  assert.equal(
    parseLibreChatEnv('A=x#y\nB="a#b"\nC= # a comment\nD=\'q\\n\'\nE="l1\\nl2"\nF=`b`\nA=last\n').map((e) => [e.key, e.value]),
    [
      ["A", "x"],
      ["B", "a#b"],
      ["C", ""],
      ["D", "q\\n"],
      ["E", "l1\nl2"],
      ["F", "b"],
      ["A", "last"],
    ],
  );
});

test("init --from keeps every secret byte for byte in secrets.env (0600); none reaches a committed file or any output", async () => {
  const dir = withOldFolder();
  try {
    const init = await cli(["init", "--from", "old", "--preset", "cpu"], dir);
    assert.is(init.code, 0, init.stderr);
    assert.is(statSync(path.join(dir, "secrets.env")).mode & 0o777, 0o600);
    const secrets = secretsOf(dir);
    for (const [name, value] of Object.entries(FIXTURE_SECRETS)) assert.is(secrets.get(name), value, name);
    assert.match(init.stdout, /Kept 10 secrets in secrets\.env/);

    const config = readFileSync(path.join(dir, "llm.config.ts"), "utf8");
    // Provider keys are referenced, never inlined.
    assert.match(config, /apiKey: "\$\{GROQ_API_KEY\}"/);
    assert.match(config, /apiKey: "\$\{OPENROUTER_KEY\}"/);
    // A key written into librechat.yaml itself (Portkey's 'dummy') moves to secrets.env under a name of its own.
    assert.match(config, /name: "Portkey",\n\s+apiKey: "\$\{PORTKEY_API_KEY\}"/);
    assert.is(secrets.get("PORTKEY_API_KEY"), "dummy");

    const generate = await cli(["generate"], dir);
    assert.is(generate.code, 0, generate.stderr);
    // LibreChat gets the same values it had.
    const librechat = new Map([...parseSecrets(readFileSync(path.join(dir, "secrets", "librechat.env"), "utf8"))].map(([k, v]) => [k, v.value]));
    for (const name of ["CREDS_KEY", "CREDS_IV", "JWT_SECRET", "JWT_REFRESH_SECRET", "MEILI_MASTER_KEY", "OPENAI_API_KEY", "GROQ_API_KEY", "OPENROUTER_KEY"])
      assert.is(librechat.get(name), FIXTURE_SECRETS[name], `LibreChat reads ${name}`);
    assert.is(secretsOf(dir).get("CREDS_KEY"), FIXTURE_SECRETS.CREDS_KEY, "generate keeps CREDS_KEY");

    await cli(["diff"], dir);
    await cli(["diff", "--json"], dir);
    await cli(["generate", "--check"], dir);
    await cli(["generate", "--json"], dir);
    await cli(["explain", "librechat"], dir);
    // Errors: a second adoption (secrets.env is there), and init over the config.
    const again = await cli(["init", "--from", "old"], dir);
    assert.is(again.code, 2, again.stderr);
    assert.match(again.stderr, /CONFIG_EXISTS/);
    const forced = await cli(["init", "--from", "old", "--force", "--preset", "cpu"], dir);
    assert.match(forced.stderr, /secrets\.env already exists/);

    const files = committedFiles(dir);
    assert.ok(files.includes("llm.config.ts") && files.includes("docker-compose.yml") && files.includes(".env") && files.includes(".llm/manifest.json"));
    for (const file of files) assertNoSecretIn(readFileSync(path.join(dir, file), "utf8"), file);
    for (const { what, run } of outputs) assertNoSecretIn(run.stdout + run.stderr, `the output of llm ${what}`);
  } finally {
    removeDir(dir);
  }
});

test("the custom endpoints keep their models; the Ollama endpoint's models are pulled; the settings carry over", async () => {
  const dir = withOldFolder();
  try {
    assert.is((await runCli(["init", "--from", "old", "--preset", "cpu"], dir)).code, 0);
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    const yaml = load(readFileSync(path.join(dir, "librechat.yaml"), "utf8")) as {
      endpoints: { custom: { name: string; models: { default: string[]; fetch: boolean } }[] };
    };
    const byName = new Map(yaml.endpoints.custom.map((e) => [e.name, e]));
    const upstream = load(readFileSync(path.join(FIXTURE, "librechat.yaml"), "utf8")) as {
      endpoints: { custom: { name: string; models: { default: string[]; fetch?: boolean } }[] };
    };
    for (const endpoint of upstream.endpoints.custom) {
      if (endpoint.name === "Ollama") continue;
      assert.equal(byName.get(endpoint.name)?.models.default, endpoint.models.default, endpoint.name);
      assert.is(byName.get(endpoint.name)?.models.fetch, endpoint.models.fetch ?? false, endpoint.name);
    }
    assert.equal(byName.get("Ollama")?.models.default, ["llama3.2:3b", "qwen2.5:7b"]);
    const env = readFileSync(path.join(dir, ".env"), "utf8");
    assert.match(env, /^APP_TITLE='?Acme Chat'?$/m);
    assert.match(env, /^ALLOW_REGISTRATION=false$/m);
    assert.match(env, /^SEARCH=true$/m);
    assert.match(env, /^BAN_DURATION='1000 \* 60 \* 60 \* 2'$/m, "a LibreChat setting is carried as it was");
    const compose = load(readFileSync(path.join(dir, "docker-compose.yml"), "utf8")) as {
      services: Record<string, { ports?: string[]; image: string; volumes?: string[] }>;
    };
    assert.equal(compose.services["librechat"]?.ports, ["0.0.0.0:3080:3080"]);
  } finally {
    removeDir(dir);
  }
});

test("Meilisearch keeps the version the folder ran, pinned with a note, and the data moves to the folder that version reads", async () => {
  const dir = withOldFolder((old) => {
    const compose = readFileSync(path.join(old, "docker-compose.yml"), "utf8").replace(/v1\.35\.1/g, "v1.12.3");
    writeFileSync(path.join(old, "docker-compose.yml"), compose);
  });
  try {
    // Run from a folder beside the old one, as the README says.
    const here = path.join(dir, "new");
    mkdirSync(here);
    const init = await runCli(["init", "--from", "../old", "--preset", "cpu"], here);
    assert.is(init.code, 0, init.stderr);
    const config = readFileSync(path.join(here, "llm.config.ts"), "utf8");
    assert.match(config, /meilisearch: \{ image: "getmeili\/meilisearch:v1\.12\.3" \}/);
    assert.match(config, /meilisearch\.image: getmeili\/meilisearch:v1\.12\.3, the version this folder ran, pinned so that it does not change silently/);
    assert.match(init.stdout, /^ {2}mkdir -p data && mv \.\.\/old\/meili_data_v1\.12\.3 data\/meilisearch-v1\.12\.3$/m);
    assert.match(init.stdout, /^ {2}mkdir -p data && mv \.\.\/old\/data-node data\/mongodb-8\.0$/m);
    // Docker takes an absolute host path.
    assert.ok(
      init.stdout.includes(
        `  docker run --rm --entrypoint sh -v ${path.join(dir, "old", "uploads")}:/from:ro -v llm-stack_librechat-uploads:/app/uploads ghcr.io/danny-avila/librechat:v0.8.7 -c 'cp -a /from/. /app/uploads/'\n`,
      ),
      init.stdout,
    );
    assert.is((await runCli(["generate", "--quiet"], here)).code, 0);
    const compose = load(readFileSync(path.join(here, "docker-compose.yml"), "utf8")) as { services: Record<string, { image: string; volumes?: string[] }> };
    assert.is(compose.services["meilisearch"]?.image, "getmeili/meilisearch:v1.12.3");
    assert.ok(
      compose.services["meilisearch"]?.volumes?.includes("./data/meilisearch-v1.12.3:/meili_data"),
      JSON.stringify(compose.services["meilisearch"]?.volumes),
    );
    assert.ok(compose.services["mongodb"]?.volumes?.includes("./data/mongodb-8.0:/data/db"));
    assert.ok(compose.services["librechat"]?.volumes?.includes("librechat-uploads:/app/uploads"));
  } finally {
    removeDir(dir);
  }
});

test("--model replaces the adopted Ollama models; --format other than ts is refused before anything is written", async () => {
  const dir = withOldFolder();
  try {
    const run = await runCli(["init", "--from", "old", "--preset", "cpu", "--model", "llama3.2:1b"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.match(readFileSync(path.join(dir, "llm.config.ts"), "utf8"), /^ {2}models: \["llama3\.2:1b"\],$/m);
  } finally {
    removeDir(dir);
  }
  const other = withOldFolder();
  try {
    const before = snapshot(other);
    const run = await runCli(["init", "--from", "old", "--format", "json"], other);
    assert.is(run.code, 2);
    assert.match(run.stderr, /llm init --from writes a TypeScript config/);
    assert.equal(snapshot(other), before);
  } finally {
    removeDir(other);
  }
});

test("a secret Compose reads otherwise than LibreChat is kept as LibreChat read it, and listed", async () => {
  const dir = withOldFolder((old) =>
    writeFileSync(path.join(old, ".env"), "MEILI_MASTER_KEY=Ab12Cd34Ef56Gh78#Ij90\nCREDS_KEY=`" + FIXTURE_SECRETS.CREDS_KEY + "`\n"),
  );
  try {
    const run = await runCli(["init", "--from", "old", "--preset", "cpu"], dir);
    assert.is(run.code, 0, run.stderr);
    assert.is(secretsOf(dir).get("MEILI_MASTER_KEY"), "Ab12Cd34Ef56Gh78");
    assert.is(secretsOf(dir).get("CREDS_KEY"), FIXTURE_SECRETS.CREDS_KEY);
    assert.match(run.stdout, /\.env: MEILI_MASTER_KEY: Compose and LibreChat's dotenv read it differently/);
    assert.match(run.stdout, /\.env: CREDS_KEY: Compose and LibreChat's dotenv read it differently/);
    assert.not.ok(run.stdout.includes("Ab12Cd34"));
  } finally {
    removeDir(dir);
  }
});

test("secrets still at the values LibreChat's .env.example publishes are kept and named", async () => {
  // .env.example at v0.8.7, lines 414-415 and 594-595 (public example values, not secrets of this project).
  const published = Object.fromEntries([
    ["CREDS_KEY", "f34be427ebb29de8d88c107a71546019685ed8b241d8f2ed00c3df97ad2566f0"],
    ["CREDS_IV", "e2341419ec3dd3d19b13a1a87fafcbfb"],
    ["JWT_SECRET", "16f8c0ef4a5d391b26034086c628469d3f9f497f08163ab9b40137092f2909ef"],
  ]);
  const dir = withOldFolder((old) =>
    writeFileSync(
      path.join(old, ".env"),
      `${Object.entries(published)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n")}\nJWT_REFRESH_SECRET=${FIXTURE_SECRETS.JWT_REFRESH_SECRET}\n`,
    ),
  );
  try {
    const run = await runCli(["init", "--from", "old", "--preset", "cpu"], dir);
    assert.is(run.code, 0, run.stderr);
    for (const [name, value] of Object.entries(published)) assert.is(secretsOf(dir).get(name), value, name);
    assert.match(run.stdout, /CREDS_KEY, CREDS_IV, JWT_SECRET are the values LibreChat's \.env\.example publishes/);
    assert.match(readFileSync(path.join(dir, "llm.config.ts"), "utf8"), /CREDS_KEY, CREDS_IV, JWT_SECRET are the values LibreChat's \.env\.example publishes/);
  } finally {
    removeDir(dir);
  }
});

test("a config that cannot be written takes the new secrets.env with it", async () => {
  const dir = withOldFolder();
  try {
    mkdirSync(path.join(dir, "llm.config.ts"));
    const before = snapshot(dir);
    const run = await runCli(["init", "--from", "old", "--preset", "cpu", "--force"], dir);
    assert.is(run.code, 3, run.stderr);
    assert.match(run.stderr, /could not write llm\.config\.ts/);
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("what has no place in the config is listed, in the output and in the config", async () => {
  const dir = withOldFolder();
  try {
    const init = await runCli(["init", "--from", "old", "--preset", "cpu", "--json"], dir);
    assert.is(init.code, 0, init.stdout);
    const report = JSON.parse(init.stdout) as { adopted: { unmapped: { file: string; path: string }[] } };
    const listed = report.adopted.unmapped.map((u) => `${u.file}: ${u.path}`);
    for (const expected of [
      "docker-compose.yml: services.admin-panel",
      "docker-compose.yml: services.rag_api",
      "docker-compose.yml: services.vectordb",
      "docker-compose.yml: services.api.volumes ./logs",
      "librechat.yaml: interface",
      "librechat.yaml: registration",
      "librechat.yaml: actions",
      "librechat.yaml: endpoints.custom[0] (Claude-Compatible).headers",
      "librechat.yaml: endpoints.custom[3] (Mistral).dropParams",
      "librechat.yaml: endpoints.custom[3] (Mistral).apiKey",
      ".env: MONGO_URI",
    ])
      assert.ok(listed.includes(expected), `${expected} is listed`);
    const config = readFileSync(path.join(dir, "llm.config.ts"), "utf8");
    for (const expected of listed) assert.ok(config.includes(`//   - ${expected}: `), `the config lists ${expected}`);
    assert.match(config, /references \$\{MISTRAL_API_KEY\}, which \.env does not set: set it with `llm secrets set MISTRAL_API_KEY`/);
  } finally {
    removeDir(dir);
  }
});

test("variables llm wires are listed, not carried: the adopted config passes its own guardrails and secrets.env undoes no wiring", async () => {
  const dir = withOldFolder((old) => {
    const env = readFileSync(path.join(old, ".env"), "utf8");
    writeFileSync(
      path.join(old, ".env"),
      `${env.replace("DOMAIN_CLIENT=http://localhost:3080", "DOMAIN_CLIENT=https://chat.example.org").replace("DOMAIN_SERVER=http://localhost:3080", "DOMAIN_SERVER=https://api.example.org")}\nUSE_REDIS=true\nREDIS_URI=redis://:Pw0rdPw0rdPw0rd@redis:6379\nCONFIG_PATH=/app/other.yaml\n`,
    );
  });
  try {
    const init = await runCli(["init", "--from", "old", "--preset", "cpu", "--json"], dir);
    assert.is(init.code, 0, init.stdout + init.stderr);
    const report = JSON.parse(init.stdout) as { adopted: { unmapped: { file: string; path: string; reason: string }[] } };
    for (const name of ["DOMAIN_SERVER", "USE_REDIS", "REDIS_URI", "CONFIG_PATH"]) {
      const listed = report.adopted.unmapped.find((u) => u.file === ".env" && u.path === name);
      assert.ok(listed, `${name} is listed`);
      assert.match(listed!.reason, /^not carried over: llm wires it/);
    }
    const config = readFileSync(path.join(dir, "llm.config.ts"), "utf8");
    assert.match(config, /domain: "https:\/\/chat\.example\.org"/);
    for (const name of ["DOMAIN_SERVER", "USE_REDIS", "REDIS_URI", "CONFIG_PATH"])
      assert.not.match(config, new RegExp(`^\\s+${name}:`, "m"), `${name} in the config`);
    assert.not.ok(secretsOf(dir).has("REDIS_URI"), "REDIS_URI is not a secret of the user's");
    assert.not.ok(init.stdout.includes("Pw0rdPw0rdPw0rd"), "the password is not shown");
    const validate = await runCli(["validate"], dir);
    assert.is(validate.code, 0, validate.stderr);
    const generate = await runCli(["generate"], dir);
    assert.is(generate.code, 0, generate.stderr);
  } finally {
    removeDir(dir);
  }
});

test("adopted in place: generate refuses LibreChat's own files, --force keeps every secret or names the one it would lose", async () => {
  const dir = withOldFolder();
  const here = path.join(dir, "old");
  try {
    assert.is((await runCli(["init", "--from", ".", "--preset", "cpu"], here)).code, 0);
    const refused = await runCli(["generate"], here);
    assert.is(refused.code, 4);
    assertNoSecretIn(refused.stdout + refused.stderr, "the refusal");
    // vectordb's password lives only in LibreChat's docker-compose.yml: --force would lose it.
    const before = snapshot(here);
    const lost = await runCli(["generate", "--force"], here);
    assert.is(lost.code, 4, lost.stderr);
    assert.match(lost.stderr, /docker-compose\.yml: line \d+: holds a secret \(POSTGRES_PASSWORD\)/);
    assert.equal(snapshot(here), before);
    // Kept by hand in secrets.env, it is no longer lost.
    writeFileSync(path.join(here, "secrets.env"), `${readFileSync(path.join(here, "secrets.env"), "utf8")}POSTGRES_PASSWORD=mypassword\n`);
    const forced = await runCli(["generate", "--force"], here);
    assert.is(forced.code, 0, forced.stderr);
    assertNoSecretIn(forced.stdout + forced.stderr, "generate --force");
    const secrets = secretsOf(here);
    for (const [name, value] of Object.entries(FIXTURE_SECRETS)) assert.is(secrets.get(name), value, name);
    for (const file of [".env", "docker-compose.yml", "librechat.yaml", "llm.config.ts"]) assertNoSecretIn(readFileSync(path.join(here, file), "utf8"), file);
  } finally {
    removeDir(dir);
  }
});

test("a folder without LibreChat's files, or with a broken librechat.yaml, is an error that writes nothing and shows no value", async () => {
  const empty = withOldFolder();
  try {
    const before = snapshot(empty);
    const run = await runCli(["init", "--from", "nowhere"], empty);
    assert.is(run.code, 2);
    assert.match(run.stderr, /nowhere holds none of LibreChat's files/);
    assert.equal(snapshot(empty), before);
  } finally {
    removeDir(empty);
  }
  const broken = withOldFolder((old) =>
    writeFileSync(path.join(old, "librechat.yaml"), `endpoints:\n  custom:\n    - apiKey: '${FIXTURE_SECRETS.GROQ_API_KEY}\n  bad: [\n`),
  );
  try {
    const before = snapshot(broken);
    const run = await runCli(["init", "--from", "old", "--preset", "cpu"], broken);
    assert.is(run.code, 2);
    assert.match(run.stderr, /old\/librechat\.yaml could not be read as YAML \(line \d+, column \d+\)/);
    assertNoSecretIn(run.stdout + run.stderr, "the error");
    assert.equal(snapshot(broken), before);
  } finally {
    removeDir(broken);
  }
});

test.run();
