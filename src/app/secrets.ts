// `llm secrets` use cases: list the secrets the stack needs, rotate one. Reads the config to know
// the stack and where secrets.env lives.
import { path } from "../util/path.js";
import type { ResolveOptions } from "../config/resolve.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { fileMode, readText } from "../io/files.js";
import { fsFromEnv, type WriterFs } from "../io/fs.js";
import type { LockOptions } from "../io/lock.js";
import { commit } from "../io/transaction.js";
import { SECRETS_FILE } from "../layout.js";
import type { SecretSpec } from "../stack/secret-specs.js";
import { readersOf, secretsStatus, stackSecretSpecs, withRotated, type SecretStatus } from "../secrets/status.js";
import { withOutputLock, writeFailed } from "./output-lock.js";
import { readFailed } from "./workspace.js";
import type { RandomString } from "../secrets/store.js";
import type { Stack } from "../stack/types.js";
import { editedError, runGenerate } from "./generate.js";
import { didYouMean } from "../util/did-you-mean.js";
import { openStack } from "./open-stack.js";

interface Located {
  stack: Stack;
  secretsPath: string;
  text: string | null;
}

async function locate(request: { cwd: string; configPath?: string; options?: ResolveOptions }): Promise<Result<Located>> {
  const opened = await openStack(request);
  if (!opened.ok) return opened;
  const secretsPath = path.join(opened.value.outDir, SECRETS_FILE);
  let text: string | null;
  try {
    text = await readText(secretsPath);
  } catch (error) {
    return fail(readFailed(error, opened.value.outDir, SECRETS_FILE));
  }
  return ok({ stack: opened.value.stack, secretsPath, text });
}

export interface SecretsListing {
  file: string;
  exists: boolean;
  /** The file's permission bits; anything but 0600 lets other users read the secrets. */
  mode: number | null;
  secrets: SecretStatus[];
}

export async function listSecrets(request: { cwd: string; configPath?: string; options?: ResolveOptions }): Promise<Result<SecretsListing>> {
  const located = await locate(request);
  if (!located.ok) return located;
  const { stack, secretsPath, text } = located.value;
  return ok({ file: SECRETS_FILE, exists: text !== null, mode: await fileMode(secretsPath), secrets: secretsStatus(text, stack) });
}

export interface RotatePlan {
  spec: SecretSpec;
  /** Services to recreate so they read the new value. */
  restart: string[];
  /** Writes the new value, then regenerates the files in secrets/ derived from it; returns the
   * paths written besides secrets.env. */
  apply: () => Promise<Result<string[]>>;
}

/** Checks everything and returns what rotating would do; nothing is written until `apply`. */
export async function planRotation(request: {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  name: string;
  random: RandomString;
  /** The process environment, for the debugging knobs io/fs.ts reads; ignored when `fs` is given. */
  env?: Record<string, string | undefined>;
  fs?: WriterFs;
  lock?: LockOptions;
}): Promise<Result<RotatePlan>> {
  const located = await locate(request);
  if (!located.ok) return located;
  const { stack, secretsPath, text } = located.value;
  const specs = stackSecretSpecs(stack);
  const spec = specs.find((s) => s.name === request.name);
  if (!spec) {
    const own = text !== null && secretsStatus(text, stack).some((s) => s.own && s.name === request.name);
    const suggestion = didYouMean(
      request.name,
      specs.map((s) => s.name),
    );
    return fail(
      new LlmError(
        "SECRET_UNKNOWN",
        own
          ? `${request.name} is your own secret: llm does not generate it`
          : `unknown secret ${JSON.stringify(request.name)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`,
        {
          hint: own ? `edit it in ${SECRETS_FILE}` : `llm can rotate ${specs.map((s) => s.name).join(", ")}`,
        },
      ),
    );
  }
  if (text === null)
    return fail(new LlmError("SECRETS_NOT_FOUND", `${SECRETS_FILE} does not exist yet`, { hint: "run `llm generate`: it creates every secret" }));
  const outDir = path.dirname(secretsPath);
  const fs = request.fs ?? fsFromEnv(request.env ?? {});
  return ok({
    spec,
    restart: readersOf(stack, spec.name),
    apply: async () => {
      // Under the folder's lock, like generate, and from the file as it is then: a generate running
      // at the same time could otherwise write back the old value after "Rotated" was printed.
      const rotated = await withOutputLock(outDir, fs, request.lock ?? {}, async ({ txDir }) => {
        let current: string | null;
        try {
          current = await fs.readText(secretsPath);
        } catch (error) {
          return fail(readFailed(error, outDir, SECRETS_FILE));
        }
        if (current === null)
          return fail(new LlmError("SECRETS_NOT_FOUND", `${SECRETS_FILE} no longer exists`, { hint: "run `llm generate`: it creates every secret" }));
        try {
          await commit(outDir, txDir, { writes: [{ path: SECRETS_FILE, text: withRotated(current, spec, request.random), mode: 0o600 }], deletes: [] }, fs);
          return ok(undefined);
        } catch (error) {
          return fail(writeFailed(error, outDir));
        }
      });
      if (!rotated.ok) return rotated;
      // The services read the value from files in secrets/, derived from secrets.env: generate
      // (under the lock again) reads the rotated file and rewrites them.
      const regenerated = await runGenerate({
        cwd: request.cwd,
        ...(request.configPath ? { configPath: request.configPath } : {}),
        ...(request.options ? { options: request.options } : {}),
        random: request.random,
        fs,
        ...(request.lock ? { lock: request.lock } : {}),
      });
      if (!regenerated.ok) return regenerated;
      if (regenerated.value.refused.length > 0) return fail(editedError(regenerated.value.refused));
      return ok(regenerated.value.written.filter((file) => file !== SECRETS_FILE));
    },
  });
}
