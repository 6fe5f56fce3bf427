// Independent validators written by others: the compose-spec JSON Schema, Debian's docker-compose,
// and LibreChat's own zod schema. Our tests trust these, not our own idea of a valid file.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { nginxBinary } from "./nginx-binary.js";
import { runWithHosts } from "./netns.js";
import { SHARED_SCHEMAS } from "./paths.js";
import { removeDir, tempDir } from "./workspace.js";

let composeValidator: ValidateFunction | undefined;

export function composeSchemaErrors(composeText: string): string[] {
  if (!composeValidator) {
    const schema = JSON.parse(readFileSync(path.join(SHARED_SCHEMAS, "compose-spec.json"), "utf8"));
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    composeValidator = ajv.compile(schema);
  }
  const ok = composeValidator(parse(composeText));
  return ok ? [] : (composeValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Keys docker-compose 1.29 predates; stripped in a copy so the rest is still checked by it. */
export function withoutNewerComposeKeys(composeText: string): string {
  const doc = parse(composeText) as Record<string, unknown>;
  delete doc["name"];
  for (const service of Object.values((doc["services"] ?? {}) as Record<string, Record<string, unknown>>)) {
    const health = service["healthcheck"] as Record<string, unknown> | undefined;
    if (health) delete health["start_interval"];
    for (const dependency of Object.values((service["depends_on"] ?? {}) as Record<string, Record<string, unknown>>)) delete dependency["restart"];
  }
  return JSON.stringify(doc, null, 2);
}

export function hasDockerCompose(): boolean {
  return spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0;
}

/** Runs `docker-compose config -q` on a copy of a generated folder; returns its stderr when it fails. */
export function dockerComposeConfigErrors(dir: string): string | null {
  const work = tempDir("llm-dc-");
  writeFileSync(path.join(work, "docker-compose.yml"), withoutNewerComposeKeys(readFileSync(path.join(dir, "docker-compose.yml"), "utf8")));
  for (const name of [".env", "secrets.env", "librechat.yaml"]) {
    if (existsSync(path.join(dir, name))) copyFileSync(path.join(dir, name), path.join(work, name));
  }
  // The services' env files (env_file: secrets/NAME.env), which Compose reads.
  if (existsSync(path.join(dir, "secrets"))) cpSync(path.join(dir, "secrets"), path.join(work, "secrets"), { recursive: true });
  const result = spawnSync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], {
    cwd: work,
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "" },
  });
  return result.status === 0 ? null : `${result.stderr}${result.stdout}`;
}

/** The pinned LibreChat (v0.8.7) carries librechat-data-provider 0.8.509, which was never
 * published to npm: the releases on either side of it, 0.8.502 (v0.8.6-rc1) and 0.8.521
 * (v0.8.8-rc1), both judge the file (docs/upstream-facts.md). */
export const LIBRECHAT_SCHEMA_PACKAGES = ["librechat-data-provider-0.8.502", "librechat-data-provider-0.8.521"] as const;

type ConfigSchema = { strict: () => { safeParse: (v: unknown) => { success: boolean; error?: { issues: unknown[] } } } };

/** LibreChat's own check of librechat.yaml (configSchema.strict(), as loadCustomConfig runs it),
 * by each schema package; the problems are prefixed with the package that found them. */
export async function librechatConfigErrors(yamlText: string): Promise<string[]> {
  const problems: string[] = [];
  for (const name of LIBRECHAT_SCHEMA_PACKAGES) {
    const { configSchema } = (await import(name)) as unknown as { configSchema: ConfigSchema };
    const result = configSchema.strict().safeParse(parse(yamlText));
    if (!result.success) problems.push(...(result.error?.issues ?? []).map((i) => `${name}: ${JSON.stringify(i)}`));
  }
  return problems;
}

/** Debian's promtool: `check config` parses prometheus.yml and checks every file it names exists. */
export function promtoolErrors(prometheusYml: string): string | null {
  const result = spawnSync("promtool", ["check", "config", prometheusYml], { encoding: "utf8" });
  return result.status === 0 ? null : `${result.stdout}${result.stderr}`;
}

/** `nginx -t` (a current nginx: test/helpers/nginx-binary.ts) on a generated nginx.conf, left
 * unchanged, with `hosts` resolving its upstream names inside a private namespace. Output goes through a file: nginx.conf logs to
 * /dev/stderr, which cannot be reopened when it is one of Node's socket pipes. */
export function nginxTestErrors(conf: string, hosts: Record<string, string>): string | null {
  const prefix = tempDir("llm-nginx-t-");
  try {
    const script = '"$3" -t -p "$1" -c "$2" -g "pid $1/nginx.pid;" >"$1/out" 2>&1; status=$?; cat "$1/out"; exit $status';
    const run = runWithHosts(hosts, ["/bin/sh", "-c", script, "sh", prefix, conf, nginxBinary()], { timeoutMs: 20_000 });
    return run.status === 0 && /test is successful/.test(run.stdout) ? null : `exit ${run.status}: ${run.stdout}${run.stderr}`;
  } finally {
    removeDir(prefix);
  }
}

const traefikValidators = new Map<string, ValidateFunction>();

/** SchemaStore's Traefik v3 schemas. The static schema's root is open upstream; it is closed here,
 * in memory, so a misspelt top-level key fails too (as the schemas' README suggests). */
export function traefikErrors(kind: "static" | "dynamic", yamlText: string): string[] {
  let validate = traefikValidators.get(kind);
  if (!validate) {
    const file = kind === "static" ? "traefik-v3.json" : "traefik-v3-file-provider.json";
    const schema = JSON.parse(readFileSync(path.join(SHARED_SCHEMAS, file), "utf8"));
    delete schema.$schema;
    if (kind === "static") schema.additionalProperties = false;
    validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    traefikValidators.set(kind, validate);
  }
  return validate(parse(yamlText)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
