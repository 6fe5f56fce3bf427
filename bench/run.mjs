#!/usr/bin/env node
// `npm run bench`: cold-start timings of `llm` against a bare `node -e 0`, measured in the same
// run, in fresh processes. Wall time comes from this harness (hrtime around each spawn); peak RSS
// from GNU time (`/usr/bin/time -f %M`, Debian package `time`). NODE_EXTRA_CA_CERTS is unset for
// every command, ours and the baseline, because it adds 40-80 ms to each Node start here.
//   BENCH_RUNS=30 npm run bench
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "dist", "cli.js");
const runs = Number(process.env.BENCH_RUNS ?? 30);
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const haveTime = existsSync("/usr/bin/time");
const scratch = mkdtempSync(path.join(os.tmpdir(), "llm-bench-"));

function once(argv, cwd) {
  const command = haveTime ? ["/usr/bin/time", ["-f", "%M", ...argv]] : [argv[0], argv.slice(1)];
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command[1], { cwd, env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssKb = haveTime ? Number(result.stderr.trim().split("\n").pop()) : NaN;
  return { ms, rssKb, status: result.status, stderr: result.stderr };
}

function measure(label, argv, { prepare = () => scratch, expectStatus = 0, count = runs } = {}) {
  const samples = [];
  for (let i = 0; i < count + 2; i++) {
    const cwd = prepare(i);
    const sample = once(argv, cwd);
    if (sample.status !== expectStatus) throw new Error(`${label}: exit ${sample.status}, expected ${expectStatus}\n${sample.stderr}`);
    if (i >= 2) samples.push(sample); // two warm-up runs fill the page cache
  }
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  const rss = samples.map((s) => s.rssKb).sort((a, b) => a - b);
  const median = (xs) => (xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2);
  return { label, median: median(times), min: times[0], max: times[times.length - 1], rss: median(rss) };
}

function freshDir(configName, text) {
  return () => {
    const dir = mkdtempSync(path.join(scratch, "run-"));
    writeFileSync(path.join(dir, configName), text);
    return dir;
  };
}

const repoConfig = readFileSync(path.join(root, "llm.config.ts"), "utf8");
const jsonConfig = JSON.stringify({ presets: ["cpu"], models: ["llama3.2:3b", "nomic-embed-text"] }, null, 2);
const invalidConfig = JSON.stringify({ modles: [], ollama: { memory: "lots" } });
const checkDir = freshDir("llm.config.ts", repoConfig)();
once(["node", cli, "generate", "--quiet"], checkDir);
const supportsCheck = once(["node", cli, "generate", "--check", "--quiet"], checkDir).status === 0;

/** A folder generated once (secrets, manifest) whose outputs are then deleted: the run under test
 * validates, renders, parses back and writes every output, as after an edit of the config. */
function regenerateDir(configName, text) {
  const template = freshDir(configName, text)();
  once(["node", cli, "generate", "--quiet"], template);
  const manifest = JSON.parse(readFileSync(path.join(template, ".llm", "manifest.json"), "utf8"));
  const outputs = Object.keys(manifest.files).filter((file) => !file.startsWith("secrets/"));
  return () => {
    const dir = mkdtempSync(path.join(scratch, "regen-"));
    cpSync(template, dir, { recursive: true });
    for (const file of outputs) rmSync(path.join(dir, file), { force: true });
    return dir;
  };
}

const rows = [measure("node -e 0", ["node", "-e", "0"])];
rows.push(measure("llm generate (TS config, all modules)", ["node", cli, "generate", "--quiet"], { prepare: regenerateDir("llm.config.ts", repoConfig) }));
rows.push(measure("llm generate (JSON config, core)", ["node", cli, "generate", "--quiet"], { prepare: regenerateDir("llm.config.json", jsonConfig) }));
rows.push(measure("llm generate (first run: creates secrets)", ["node", cli, "generate", "--quiet"], { prepare: freshDir("llm.config.ts", repoConfig) }));
rows.push(measure("llm generate (nothing to change)", ["node", cli, "generate", "--quiet"], { prepare: () => checkDir }));
if (supportsCheck) rows.push(measure("llm generate --check", ["node", cli, "generate", "--check", "--quiet"], { prepare: () => checkDir }));
rows.push(measure("llm --help", ["node", cli, "--help"]));
rows.push(measure("llm validate (invalid config)", ["node", cli, "validate"], { prepare: freshDir("llm.config.json", invalidConfig), expectStatus: 2 }));

const scaleRows = [];
for (const n of [10, 100, 1000]) {
  const config = {
    models: Array.from({ length: n }, (_, i) => `model-${i}:q4`),
    librechat: {
      endpoints: Array.from({ length: Math.max(1, n / 10) }, (_, i) => ({ name: `Endpoint ${i}`, baseURL: `https://api${i}.example.com/v1`, apiKey: `\${KEY_${i}}`, models: { default: [`m-${i}`] } })),
    },
  };
  scaleRows.push(measure(`llm generate: ${n} models, ${Math.max(1, n / 10)} endpoints`, ["node", cli, "generate", "--quiet"], { prepare: freshDir("llm.config.json", JSON.stringify(config)), count: Math.min(runs, 10) }));
}

const base = rows[0];
const fmt = (x) => x.toFixed(1).padStart(8);
const line = (r) => `${r.label.padEnd(46)}${fmt(r.median)}${fmt(r.min)}${fmt(r.max)}${String(Number.isNaN(r.rss) ? "-" : Math.round(r.rss / 1024)).padStart(9)}${(r.median / base.median).toFixed(2).padStart(8)}x${(r.rss / base.rss).toFixed(2).padStart(8)}x`;
console.log(`Node ${process.version}, ${os.cpus().length} cores, ${runs} runs per row (medians), NODE_EXTRA_CA_CERTS unset`);
console.log(`${"command".padEnd(46)}${"median".padStart(8)}${"min".padStart(8)}${"max".padStart(8)}${"RSS MB".padStart(9)}${"time".padStart(9)}${"RSS".padStart(9)}`);
for (const r of rows) console.log(line(r));
const target = (label, limit, value) => console.log(`  ${value <= limit ? "met " : "MISSED"}  ${label}: ${value.toFixed(2)}x (target <= ${limit}x)`);
const ratio = (label) => { const r = rows.find((row) => row.label.startsWith(label)); return r ? r.median / base.median : NaN; };
console.log("\ntargets (issue: cold generate <= 2.0x, --check <= 2.0x, --help <= 1.5x, peak RSS <= 1.6x of node -e 0)");
target("llm generate (TS config, all modules)", 2.0, ratio("llm generate (TS config"));
target("llm generate --check", 2.0, ratio("llm generate --check"));
target("llm --help", 1.5, ratio("llm --help"));
target("peak RSS of llm generate", 1.6, (rows.find((row) => row.label.startsWith("llm generate (TS config"))?.rss ?? NaN) / base.rss);
console.log("\nscaling (ms per cold run)");
for (const r of scaleRows) console.log(line(r));
rmSync(scratch, { recursive: true, force: true });
