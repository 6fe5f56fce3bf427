// Secrets that guard stored data are never silently replaced; secrets.env is read as Compose reads
// it; the Traefik users file has a random salt; rotating takes the folder's lock and names the
// services that really read the secret.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { envValue } from "../src/render/format.js";
import { parseSecrets } from "../src/secrets/store.js";
import { nanoidRandom } from "../src/app/generate.js";
import { CLI, ROOT } from "./helpers/paths.js";
import { removeDir, runCli, snapshot, tempDir, workspaceWith } from "./helpers/workspace.js";

const test = suite("secrets safety: nothing lost, read as Compose reads it, random salts, locked rotation");

const CONFIG = 'import { defineConfig } from "local-llm-stack";\nexport default defineConfig({ models: ["llama3.2:3b"] });\n';
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");
const valuesOf = (dir: string) => new Map([...parseSecrets(read(dir, "secrets.env"))].map(([k, v]) => [k, v.value]));

async function generated(config = CONFIG): Promise<string> {
  const dir = workspaceWith("llm.config.ts", config);
  const run = await runCli(["generate", "--quiet"], dir, { random: nanoidRandom });
  assert.is(run.code, 0, run.stderr);
  return dir;
}

/** What MongoDB leaves in its data folder once it ran: the data CREDS_KEY, CREDS_IV and
 * MONGO_PASSWORD protect is there. */
function withStoredData(dir: string): void {
  mkdirSync(path.join(dir, "data", "mongodb-8.0"), { recursive: true });
  writeFileSync(path.join(dir, "data", "mongodb-8.0", "WiredTiger"), "WiredTiger\n");
}

test("the manifest records the names of the secrets, never their values or hashes", async () => {
  const dir = await generated();
  try {
    const manifest = read(dir, ".llm/manifest.json");
    assert.equal(JSON.parse(manifest).secrets, ["CREDS_IV", "CREDS_KEY", "JWT_REFRESH_SECRET", "JWT_SECRET", "MEILI_MASTER_KEY", "MONGO_PASSWORD"]);
    for (const value of valuesOf(dir).values()) assert.not.ok(manifest.includes(value));
  } finally {
    removeDir(dir);
  }
});

test("a lost CREDS_KEY beside stored data (file deleted, emptied, line commented out, misspelt, lower-cased) is an error that creates nothing", async () => {
  const dir = await generated();
  withStoredData(dir);
  try {
    const original = read(dir, "secrets.env");
    const key = valuesOf(dir).get("CREDS_KEY")!;
    const losses: [string, () => void, string][] = [
      ["deleted", () => rmSync(path.join(dir, "secrets.env")), "restore the CREDS_KEY=VALUE line from your backup of secrets.env"],
      ["emptied", () => writeFileSync(path.join(dir, "secrets.env"), ""), "restore the CREDS_KEY=VALUE line from your backup of secrets.env"],
      [
        "commented out",
        () => writeFileSync(path.join(dir, "secrets.env"), original.replace("CREDS_KEY=", "# CREDS_KEY=")),
        "line 5 holds CREDS_KEY but is commented out: restore the line as CREDS_KEY=VALUE",
      ],
      [
        "misspelt",
        () => writeFileSync(path.join(dir, "secrets.env"), original.replace("CREDS_KEY=", "CREDS_KYE=")),
        "line 5 sets CREDS_KYE: did you mean CREDS_KEY?: restore the line as CREDS_KEY=VALUE",
      ],
      [
        "lower-cased",
        () => writeFileSync(path.join(dir, "secrets.env"), original.replace("CREDS_KEY=", "creds_key=")),
        "line 5 sets creds_key: did you mean CREDS_KEY?: restore the line as CREDS_KEY=VALUE",
      ],
    ];
    for (const [how, lose, fix] of losses) {
      writeFileSync(path.join(dir, "secrets.env"), original, { mode: 0o600 });
      lose();
      const before = snapshot(dir);
      // Before: exit 0, "created secrets: CREDS_KEY", every stored credential unreadable.
      for (const args of [["generate"], ["validate"], ["diff"]]) {
        const run = await runCli(args, dir, { random: nanoidRandom });
        assert.is(run.code, 2, `${how}, ${args[0]}: ${run.stdout}${run.stderr}`);
        const all = how === "deleted" || how === "emptied";
        const names = all ? "CREDS_IV, CREDS_KEY and MONGO_PASSWORD are" : "CREDS_KEY is";
        assert.ok(
          run.stderr.startsWith(`error SECRET_LOST: ${names} missing from secrets.env, and llm will not silently replace ${all ? "them" : "it"}\n`),
          `${how}: ${run.stderr}`,
        );
        assert.match(
          run.stderr,
          "  secrets.env: CREDS_KEY: missing, but this folder had it (its name is in .llm/manifest.json) and data/mongodb-8.0 holds the mongodb data it protects; a new value would mean: LibreChat can no longer decrypt stored user API keys and credentials; users must enter them again.\n",
        );
        assert.match(run.stderr, `      fix: ${fix}\n`);
        assert.match(
          run.stderr,
          `in data/mongodb-8.0 instead (it becomes unreadable for good), accept new values: llm generate ${all ? "--new-secret CREDS_IV --new-secret CREDS_KEY --new-secret MONGO_PASSWORD" : "--new-secret CREDS_KEY"}\n`,
        );
        assert.not.ok(run.stderr.includes(key), "the old value is never printed");
        assert.equal(snapshot(dir), before, `${how}, ${args[0]}: nothing written`);
      }
      // CI has no secrets.env: --check does not call a secret lost.
      assert.is((await runCli(["generate", "--check"], dir)).code, 0, how);
    }
  } finally {
    removeDir(dir);
  }
});

test("a fresh clone of this repository generates with no flag, making the secrets its manifest names; once MongoDB holds data, a lost CREDS_KEY is refused and nothing is written", async () => {
  // What a clone holds: the config and the committed generated files, no secrets.env, no
  // secrets/, no data/ (all gitignored). The manifest names every secret the folder has had.
  const dir = tempDir();
  try {
    const manifest = JSON.parse(read(ROOT, ".llm/manifest.json")) as { files: Record<string, { private?: boolean }>; secrets: string[] };
    assert.ok(manifest.secrets.includes("CREDS_KEY") && manifest.secrets.includes("CREDS_IV"), "the committed manifest names the secrets");
    const committed = ["llm.config.ts", ".llm/manifest.json", ...Object.keys(manifest.files).filter((file) => manifest.files[file]?.private !== true)];
    for (const file of committed) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      cpSync(path.join(ROOT, file), path.join(dir, file));
    }
    // validate judges it as generate does: nothing is lost where no data is.
    const validated = await runCli(["validate"], dir);
    assert.is(validated.code, 0, validated.stderr);
    // The README's quick start: `npm run llm -- generate`, nothing more.
    const run = await runCli(["generate", "--json"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { secretsAdded: string[]; secretsRenewed: unknown; written: string[] };
    assert.equal([...report.secretsAdded].sort(), [...manifest.secrets].sort());
    assert.equal(report.secretsRenewed, [
      { names: ["CREDS_IV", "CREDS_KEY", "MONGO_PASSWORD"], folder: "data/mongodb-8.0" },
      { names: ["VECTORDB_PASSWORD"], folder: "data/pgvector-pg15" },
    ]);
    assert.ok(report.written.includes("secrets.env"), report.written.join(", "));
    // The committed files stay as they are: only the gitignored secrets are new.
    for (const file of committed) assert.is(read(dir, file), read(ROOT, file), file);
    // Said in words too.
    rmSync(path.join(dir, "secrets.env"));
    const human = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      "  CREDS_IV, CREDS_KEY, MONGO_PASSWORD: listed in .llm/manifest.json but not in secrets.env, so new values were made: data/mongodb-8.0 holds no data they protect yet (a fresh clone or a new machine)\n",
    );

    // MongoDB ran and stored data; then CREDS_KEY's line is lost.
    withStoredData(dir);
    writeFileSync(path.join(dir, "secrets.env"), read(dir, "secrets.env").replace(/^CREDS_KEY=.*\n/m, ""), { mode: 0o600 });
    const before = snapshot(dir);
    const lost = await runCli(["generate"], dir, { random: nanoidRandom });
    assert.is(lost.code, 2, lost.stdout + lost.stderr);
    assert.ok(lost.stderr.startsWith("error SECRET_LOST: CREDS_KEY is missing from secrets.env, and llm will not silently replace it\n"), lost.stderr);
    assert.equal(snapshot(dir), before, "nothing written");
    assert.is((await runCli(["validate"], dir)).code, 2);
    // An empty data folder holds nothing to lose.
    rmSync(path.join(dir, "data", "mongodb-8.0", "WiredTiger"));
    assert.is((await runCli(["generate", "--quiet"], dir, { random: nanoidRandom })).code, 0);
    assert.match(read(dir, "secrets.env"), /^CREDS_KEY=[0-9a-f]{64}$/m);
  } finally {
    removeDir(dir);
  }
});

test("--new-secret NAME accepts a new value for a lost secret beside stored data; `llm secrets rotate` stays the other way", async () => {
  const dir = await generated();
  withStoredData(dir);
  try {
    const before = valuesOf(dir);
    rmSync(path.join(dir, "secrets.env"));
    const partial = await runCli(["generate", "--new-secret", "CREDS_KEY"], dir, { random: nanoidRandom });
    assert.is(partial.code, 2);
    assert.match(partial.stderr, /^error SECRET_LOST: CREDS_IV and MONGO_PASSWORD are missing/);
    const run = await runCli(["generate", "--new-secret", "CREDS_KEY", "--new-secret", "CREDS_IV", "--new-secret", "MONGO_PASSWORD"], dir, {
      random: nanoidRandom,
    });
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, "created secrets: CREDS_IV, CREDS_KEY, JWT_REFRESH_SECRET, JWT_SECRET, MEILI_MASTER_KEY, MONGO_PASSWORD");
    assert.not.match(run.stdout, "new values were made", "asked for, not made because no data is there");
    assert.is.not(valuesOf(dir).get("CREDS_KEY"), before.get("CREDS_KEY"));
    const kept = await runCli(["generate", "--new-secret", "CREDS_KEY"], dir, { random: nanoidRandom });
    assert.is(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, "kept secrets: CREDS_KEY (--new-secret only creates a missing one; `llm secrets rotate NAME` replaces one)");
    const typo = await runCli(["generate", "--new-secret", "CREDS_KY"], dir);
    assert.is(typo.code, 2);
    assert.match(typo.stderr, /^error USAGE: --new-secret CREDS_KY: not a secret this stack has; did you mean CREDS_KEY\?/);
    const fast = await runCli(["generate", "--new-secret=CREDS_KEY,CREDS_IV", "--json"], dir);
    assert.equal(JSON.parse(fast.stdout).secretsKept, ["CREDS_KEY", "CREDS_IV"]);
  } finally {
    removeDir(dir);
  }
});

test("lines Compose would not read as KEY=value are errors with their line number, never skipped, never echoed", async () => {
  const dir = await generated();
  try {
    const original = read(dir, "secrets.env");
    const key = valuesOf(dir).get("CREDS_KEY")!;
    const cases: [string, string][] = [
      [original.replace("CREDS_KEY=", "CREDS_KEY: "), "  secrets.env: line 5: CREDS_KEY: is written as `CREDS_KEY: ...`\n      fix: write CREDS_KEY=VALUE\n"],
      [
        original.replace("CREDS_KEY=", "CREDS_KEY "),
        "  secrets.env: line 5: a blank after the name CREDS_KEY where `=` should be\n      fix: write CREDS_KEY=VALUE\n",
      ],
      [
        `${original}OPENROUTER KEY=sk-or-1\n`,
        "  secrets.env: line 10: a blank after the name OPENROUTER where `=` should be\n      fix: write OPENROUTER=VALUE\n",
      ],
      [
        `${original}MY_KEY="never closed\n`,
        "  secrets.env: line 10: MY_KEY: the double quote that opens its value is never closed\n      fix: close the quote, or write MY_KEY=VALUE without quotes\n",
      ],
      [
        `${original}\u0000\u00ff\u0001garbage\n`,
        '  secrets.env: line 10: the character "\\u0000" where a name should start\n      fix: write NAME=VALUE, the name of letters, digits and _\n',
      ],
    ];
    for (const [text, expected] of cases) {
      writeFileSync(path.join(dir, "secrets.env"), text);
      const before = snapshot(dir);
      const run = await runCli(["generate"], dir, { random: nanoidRandom });
      assert.is(run.code, 2, run.stderr);
      assert.ok(run.stderr.startsWith("error SECRETS_INVALID: secrets.env has 1 problem\n"), run.stderr);
      assert.match(run.stderr, expected);
      assert.not.ok(run.stderr.includes(key.slice(0, 8)), "no part of a value is printed");
      assert.equal(snapshot(dir), before);
    }
  } finally {
    removeDir(dir);
  }
});

test("KEY=value # comment is read as Compose reads it: the comment is not part of the value", async () => {
  const dir = await generated();
  try {
    const values = valuesOf(dir);
    const key = values.get("CREDS_KEY")!;
    // Before: the comment became part of CREDS_KEY, which then failed its format check.
    const annotated = read(dir, "secrets.env")
      .replace(`CREDS_KEY=${key}`, `CREDS_KEY=${key} # backed up in the vault`)
      .replace(/^JWT_SECRET=(.*)$/m, "export JWT_SECRET='$1'   # quoted, exported, commented");
    writeFileSync(path.join(dir, "secrets.env"), `${annotated}OWN_KEY=abc#not-a-comment\nMULTI="line one\nline two"\n`);
    const before = snapshot(dir);
    const run = await runCli(["generate", "--json"], dir, { random: nanoidRandom });
    assert.is(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).secretsAdded, []);
    // Only LibreChat's env file changes: it takes the user's own keys (OWN_KEY, MULTI) too.
    assert.equal(JSON.parse(run.stdout).written, ["secrets/librechat.env"]);
    const after = snapshot(dir);
    for (const snap of [before, after]) snap.delete(path.join("secrets", "librechat.env"));
    assert.equal(after, before, "nothing else to change");
    const now = valuesOf(dir);
    assert.is(now.get("CREDS_KEY"), key);
    assert.is(now.get("JWT_SECRET"), values.get("JWT_SECRET"));
    assert.is(now.get("OWN_KEY"), "abc#not-a-comment");
    assert.is(now.get("MULTI"), "line one\nline two");
    // What LibreChat gets is the value Compose reads: no comment, no quotes.
    const librechat = parseSecrets(read(dir, "secrets/librechat.env"));
    assert.is(librechat.get("CREDS_KEY")?.value, key);
    assert.is(librechat.get("JWT_SECRET")?.value, values.get("JWT_SECRET"));
    assert.is(librechat.get("OWN_KEY")?.value, "abc#not-a-comment");
    assert.is(librechat.get("MULTI")?.value, "line one\nline two");
  } finally {
    removeDir(dir);
  }
});

test("what llm writes into an env file, llm reads back exactly (Compose's quoting rules, both ways)", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (value) => {
      const parsed = parseSecrets(`OWN_KEY=${envValue(value)}\n`).get("OWN_KEY");
      return parsed?.value === value.replace(/\r\n?/g, "\n") || parsed?.value === value;
    }),
    { numRuns: 1000, seed: 17 },
  );
  for (const value of [
    "plain",
    "with space",
    "# not a comment",
    "value # comment?",
    "it's",
    'say "hi"',
    "Costs $5",
    "$HOME",
    "back\\slash",
    "line one\nline two",
  ]) {
    assert.is(parseSecrets(`K=${envValue(value)}\n`).get("K")?.value, value, JSON.stringify(value));
  }
});

const SECURED = `import { defineConfig } from "local-llm-stack";
export default defineConfig({ presets: ["cpu"], monitoring: { enabled: true }, security: { enabled: true, domain: "chat.example.com", email: "ops@example.com" } });
`;

test("the Traefik users file has a random salt: equal passwords give different lines; a second run keeps the line", async () => {
  const a = await generated(SECURED);
  const b = workspaceWith("llm.config.ts", SECURED);
  try {
    const password = valuesOf(a).get("TRAEFIK_BASIC_AUTH_PASSWORD")!;
    writeFileSync(path.join(b, "secrets.env"), read(a, "secrets.env"), { mode: 0o600 });
    assert.is((await runCli(["generate", "--quiet"], b, { random: nanoidRandom })).code, 0);
    const [lineA, lineB] = [read(a, "secrets/traefik-users"), read(b, "secrets/traefik-users")];
    // Before: the salt was an HMAC of the password, so both installs wrote the same line.
    assert.is.not(lineA, lineB);
    for (const [dir, line] of [
      [a, lineA],
      [b, lineB],
    ] as const) {
      assert.match(line, /^admin:\$2y\$05\$[./A-Za-z0-9]{53}\n$/);
      assert.is(spawnSync("htpasswd", ["-vb", path.join(dir, "secrets", "traefik-users"), "admin", password], { stdio: "ignore" }).status, 0);
      const before = snapshot(dir);
      const again = await runCli(["generate", "--json"], dir, { random: nanoidRandom });
      assert.equal(JSON.parse(again.stdout).written, [], "checked with bcrypt, kept byte for byte");
      assert.equal(snapshot(dir), before);
    }
    // A line for another password, or another user, is replaced.
    writeFileSync(path.join(a, "secrets", "traefik-users"), lineB.replace("admin:", "root:"));
    assert.equal(JSON.parse((await runCli(["generate", "--json"], a, { random: nanoidRandom })).stdout).written, [
      "secrets/traefik-users",
      "secrets/traefik-users.checked",
    ]);
    assert.is.not(read(a, "secrets/traefik-users"), lineB.replace("admin:", "root:"));
  } finally {
    removeDir(a);
    removeDir(b);
  }
});

const SCALED = `import { defineConfig } from "local-llm-stack";
export default defineConfig({ presets: ["cpu"], scaling: { enabled: true, librechatReplicas: 3 } });
`;

test("with scaling, rotate names the real readers: librechat-1..N (and meilisearch), never an empty --force-recreate", async () => {
  const dir = await generated(SCALED);
  try {
    // Before: `--force-recreate` with no service (every service recreated) and no replica named.
    const meili = await runCli(["secrets", "rotate", "MEILI_MASTER_KEY"], dir);
    assert.is(meili.code, 0, meili.stderr);
    assert.is(
      meili.stdout,
      "Rotated MEILI_MASTER_KEY in secrets.env (and secrets/librechat.env, secrets/meilisearch.env).\nApply it: docker compose up -d --force-recreate librechat-1 librechat-2 librechat-3 meilisearch\n",
    );
    const jwt = await runCli(["secrets", "rotate", "JWT_SECRET", "--json"], dir);
    assert.equal(JSON.parse(jwt.stdout).restart, ["librechat-1", "librechat-2", "librechat-3"]);
  } finally {
    removeDir(dir);
  }
});

test("rotate takes the folder's lock: refused while a generate writes, and the rotated value survives the next generate", async () => {
  const dir = await generated();
  try {
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG.replace("3b", "1b"));
    const lock = path.join(dir, ".llm", "tx", "lock");
    // A slow generate in a real process; rotate runs while it holds the lock.
    const child = spawn(process.execPath, [CLI, "generate", "--quiet"], { cwd: dir, env: { ...process.env, LLM_DEBUG_WRITE_DELAY_MS: "60" }, stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    for (let waited = 0; !existsSync(lock) && waited < 10_000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(existsSync(lock), "the generate took its lock");
    const before = read(dir, "secrets.env");
    const refused = await runCli(["secrets", "rotate", "JWT_SECRET"], dir);
    assert.is(refused.code, 4, refused.stdout + refused.stderr);
    assert.is(
      refused.stderr,
      `warning: rotating JWT_SECRET: Every user is signed out.\nerror LOCKED: another llm run (pid ${child.pid}) is writing in this folder\nhint: wait for it to finish and run the command again; if no such process is running, delete .llm/tx/lock\n`,
    );
    assert.not.match(refused.stdout, /Rotated/);
    assert.is(await exited, 0);
    assert.is(read(dir, "secrets.env"), before, "not rotated");
    const rotated = await runCli(["secrets", "rotate", "JWT_SECRET"], dir);
    assert.is(rotated.code, 0, rotated.stderr);
    const value = valuesOf(dir).get("JWT_SECRET");
    assert.is.not(value, parseSecrets(before).get("JWT_SECRET")?.value);
    writeFileSync(path.join(dir, "llm.config.ts"), CONFIG);
    assert.is((await runCli(["generate", "--quiet"], dir)).code, 0);
    assert.is(valuesOf(dir).get("JWT_SECRET"), value, "generate keeps the rotated value");
  } finally {
    removeDir(dir);
  }
});

test.run();
