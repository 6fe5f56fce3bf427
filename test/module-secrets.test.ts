// Module secrets: created in secrets.env only when their module is on, handed to containers only
// through gitignored files in the 0700 secrets/ folder (0600, or 0644 for a container's non-root
// user), never written to a committed file, and stable across runs.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import bcryptjs from "bcryptjs";
import fc from "fast-check";
import { nanoidRandom } from "../src/app/generate.js";
import { bcryptBase64 } from "../src/secrets/private-files.js";
import { parseSecrets } from "../src/secrets/store.js";
import { isGolden } from "./helpers/golden.js";
import { listFiles, removeDir, runCli, snapshot, workspaceWith } from "./helpers/workspace.js";

const test = suite("module secrets: per-module, private files 0600, hash verified by Apache's htpasswd");
const ALL = `import { defineConfig } from "local-llm-stack";
export default defineConfig({
  monitoring: { enabled: true },
  security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" },
  scaling: { enabled: true },
});
`;
const PLAIN = 'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({});\n';
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");
const secrets = (dir: string) => new Map([...parseSecrets(read(dir, "secrets.env"))].map(([k, v]) => [k, v.value]));
const mode = (dir: string, file: string) => statSync(path.join(dir, file)).mode & 0o777;

/** Apache's own verifier: exit 0 when the file holds this user with this password. */
function htpasswdAccepts(file: string, user: string, password: string): boolean {
  return spawnSync("htpasswd", ["-vb", file, user, password], { stdio: "ignore" }).status === 0;
}

test("every module secret lands in secrets.env and reaches its services through their own files", async () => {
  const dir = workspaceWith("llm.config.ts", ALL);
  try {
    const run = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    const values = secrets(dir);
    assert.match(values.get("METRICS_SECRET")!, /^[A-Za-z0-9]{48}$/);
    assert.match(values.get("GRAFANA_ADMIN_PASSWORD")!, /^[A-Za-z0-9]{24}$/);
    assert.match(values.get("TRAEFIK_BASIC_AUTH_PASSWORD")!, /^[A-Za-z0-9]{24}$/);
    assert.is(read(dir, "secrets/metrics-token"), values.get("METRICS_SECRET"));
    assert.is(read(dir, "secrets/grafana-admin-password"), values.get("GRAFANA_ADMIN_PASSWORD"));
    assert.match(read(dir, "secrets/traefik-users"), /^admin:\$2y\$05\$[./A-Za-z0-9]{53}\n$/);
    assert.is(read(dir, "secrets/redis.conf"), `requirepass ${values.get("REDIS_PASSWORD")}\n`);
    const envOf = (file: string) => new Map([...parseSecrets(read(dir, file))].map(([k, v]) => [k, v.value]));
    assert.equal(Object.fromEntries(envOf("secrets/redis.env")), { REDISCLI_AUTH: values.get("REDIS_PASSWORD") });
    assert.equal(Object.fromEntries(envOf("secrets/meilisearch.env")), { MEILI_MASTER_KEY: values.get("MEILI_MASTER_KEY") });
    assert.equal(Object.fromEntries(envOf("secrets/mongodb.env")), { MONGO_INITDB_ROOT_PASSWORD: values.get("MONGO_PASSWORD") });
    const librechat = envOf("secrets/librechat.env");
    assert.equal(
      [...librechat.keys()],
      ["CREDS_IV", "CREDS_KEY", "JWT_REFRESH_SECRET", "JWT_SECRET", "MEILI_MASTER_KEY", "METRICS_SECRET", "MONGO_URI", "REDIS_URI"],
    );
    assert.is(librechat.get("MONGO_URI"), `mongodb://librechat:${values.get("MONGO_PASSWORD")}@mongodb:27017/LibreChat?authSource=admin`);
    assert.is(librechat.get("REDIS_URI"), `redis://:${values.get("REDIS_PASSWORD")}@redis:6379`);
    // Compose reads the env files and secrets.env (the user alone); the images' non-root users
    // (Prometheus' nobody, Grafana's 472, Redis' 999) read theirs inside the 0700 folder.
    assert.is(mode(dir, "secrets"), 0o700);
    for (const file of ["secrets.env", "secrets/librechat.env", "secrets/meilisearch.env", "secrets/mongodb.env", "secrets/redis.env", "secrets/traefik-users"])
      assert.is(mode(dir, file), 0o600, file);
    for (const file of ["secrets/metrics-token", "secrets/grafana-admin-password", "secrets/redis.conf"]) assert.is(mode(dir, file), 0o644, file);
    assert.ok(htpasswdAccepts(path.join(dir, "secrets", "traefik-users"), "admin", values.get("TRAEFIK_BASIC_AUTH_PASSWORD")!));
    assert.not.ok(htpasswdAccepts(path.join(dir, "secrets", "traefik-users"), "admin", `${values.get("TRAEFIK_BASIC_AUTH_PASSWORD")!}x`));

    // No value, and no hash, in any file meant to be committed, nor in what the command printed.
    const hash = read(dir, "secrets/traefik-users").trim().split(":")[1]!;
    for (const file of listFiles(dir).filter(isGolden)) {
      const text = read(dir, file);
      for (const [name, value] of values) assert.not.ok(text.includes(value), `${name} in ${file}`);
      assert.not.ok(text.includes(hash), `the bcrypt hash in ${file}`);
    }
    for (const value of values.values()) assert.not.ok(run.stdout.includes(value));
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const ignored = execFileSync("git", ["check-ignore", "secrets.env", "secrets/metrics-token", "secrets/traefik-users", "data/traefik/acme.json"], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.is(ignored, "secrets.env\nsecrets/metrics-token\nsecrets/traefik-users\ndata/traefik/acme.json\n");
    assert.is(execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: dir, encoding: "utf8" }).includes("secrets/"), false);
  } finally {
    removeDir(dir);
  }
});

test("a second generate changes nothing, the salted hash included", async () => {
  const dir = workspaceWith("llm.config.ts", ALL);
  try {
    await runCli(["generate"], dir, { random: nanoidRandom });
    const before = snapshot(dir);
    const run = await runCli(["generate", "--json"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).written, []);
    assert.equal(snapshot(dir), before);
  } finally {
    removeDir(dir);
  }
});

test("a changed basic-auth password rewrites the hash; a loosened mode is tightened again", async () => {
  const dir = workspaceWith("llm.config.ts", ALL);
  try {
    await runCli(["generate"], dir, { random: nanoidRandom });
    const users = path.join(dir, "secrets", "traefik-users");
    const old = secrets(dir).get("TRAEFIK_BASIC_AUTH_PASSWORD")!;
    writeFileSync(
      path.join(dir, "secrets.env"),
      read(dir, "secrets.env").replace(`TRAEFIK_BASIC_AUTH_PASSWORD=${old}`, "TRAEFIK_BASIC_AUTH_PASSWORD=my-own-admin-password"),
    );
    chmodSync(path.join(dir, "secrets", "librechat.env"), 0o644);
    const run = await runCli(["generate", "--json"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).written, ["secrets/librechat.env", "secrets/traefik-users", "secrets/traefik-users.checked"]);
    assert.ok(htpasswdAccepts(users, "admin", "my-own-admin-password"));
    assert.not.ok(htpasswdAccepts(users, "admin", old));
    assert.is(mode(dir, "secrets/librechat.env"), 0o600);
  } finally {
    removeDir(dir);
  }
});

test("switching monitoring on adds its secrets and keeps every existing one", async () => {
  const dir = workspaceWith("llm.config.ts", PLAIN);
  try {
    await runCli(["generate"], dir, { random: nanoidRandom });
    const before = secrets(dir);
    assert.equal([...before.keys()].sort(), ["CREDS_IV", "CREDS_KEY", "JWT_REFRESH_SECRET", "JWT_SECRET", "MEILI_MASTER_KEY", "MONGO_PASSWORD"]);
    writeFileSync(path.join(dir, "llm.config.ts"), PLAIN.replace("({})", "({ monitoring: { enabled: true } })"));
    const run = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes("created secrets: METRICS_SECRET, GRAFANA_ADMIN_PASSWORD"), run.stdout);
    const after = secrets(dir);
    for (const [name, value] of before) assert.is(after.get(name), value, name);
    assert.is(after.has("TRAEFIK_BASIC_AUTH_PASSWORD"), false, "no admin UI behind Traefik, no basic-auth password");
  } finally {
    removeDir(dir);
  }
});

test("the encoding of the random salt llm draws is bcryptjs' own", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      assert.is(bcryptBase64(buffer), bcryptjs.encodeBase64(buffer, buffer.length));
    }),
    { numRuns: 2000 },
  );
  assert.is(bcryptBase64(Buffer.alloc(16, 0xff)), "999999999999999999999u");
});

test.run();
