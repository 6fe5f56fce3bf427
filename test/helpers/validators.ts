// Independent validators written by others: the compose-spec JSON Schema, Debian's docker-compose,
// and LibreChat's own zod schema. Our tests trust these, not our own idea of a valid file.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { SHARED_SCHEMAS } from "./paths.js";
import { tempDir } from "./workspace.js";

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
  const result = spawnSync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], { cwd: work, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } });
  return result.status === 0 ? null : `${result.stderr}${result.stdout}`;
}

export function dockerComposeConfig(dir: string): string {
  return execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: dir, encoding: "utf8" });
}

export async function librechatConfigErrors(yamlText: string): Promise<string[]> {
  const { configSchema } = (await import("librechat-data-provider")) as unknown as { configSchema: { strict: () => { safeParse: (v: unknown) => { success: boolean; error?: { issues: unknown[] } } } } };
  const result = configSchema.strict().safeParse(parse(yamlText));
  return result.success ? [] : (result.error?.issues ?? []).map((i) => JSON.stringify(i));
}
