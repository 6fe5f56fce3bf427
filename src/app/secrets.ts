// `llm secrets` use cases: list the secrets the stack needs, rotate one. Reads the config to know
// the stack and where secrets.env lives.
import { path } from "../util/path.js";
import { loadConfig } from "../config/load.js";
import type { ResolveOptions } from "../config/resolve.js";
import { LlmError, type Result, fail, ok } from "../errors.js";
import { fileMode, readText } from "../io/files.js";
import { nodeFs, type WriterFs } from "../io/fs.js";
import type { LockOptions } from "../io/lock.js";
import { commit } from "../io/transaction.js";
import { withOutputLock, writeFailed } from "./output-lock.js";
import { readFailed } from "./workspace.js";
import { generateFromSource } from "../pipeline.js";
import { SECRETS_FILE, type SecretSpec } from "../secrets/catalog.js";
import { consumersOf, secretSpecsFor, secretsStatus, withRotated, type SecretStatus } from "../secrets/status.js";
import type { RandomString } from "../secrets/store.js";
import type { Stack } from "../stack/types.js";
import { didYouMean } from "../util/did-you-mean.js";

interface Located {
  stack: Stack;
  secretsPath: string;
  text: string | null;
}

async function locate(request: { cwd: string; configPath?: string; options?: ResolveOptions }): Promise<Result<Located>> {
  const loaded = await loadConfig(request.cwd, request.configPath);
  if (!loaded.ok) return loaded;
  const generated = generateFromSource(loaded.value, request.options);
  if (!generated.ok) return generated;
  const secretsPath = path.join(path.dirname(loaded.value.absolutePath), SECRETS_FILE);
  let text: string | null;
  try {
    text = await readText(secretsPath);
  } catch (error) {
    return fail(readFailed(error, path.dirname(secretsPath), SECRETS_FILE));
  }
  return ok({ stack: generated.value.stack, secretsPath, text });
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
  apply: () => Promise<Result<void>>;
}

/** Checks everything and returns what rotating would do; nothing is written until `apply`. */
export async function planRotation(request: {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  name: string;
  random: RandomString;
  fs?: WriterFs;
  lock?: LockOptions;
}): Promise<Result<RotatePlan>> {
  const located = await locate(request);
  if (!located.ok) return located;
  const { stack, secretsPath, text } = located.value;
  const specs = secretSpecsFor(stack);
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
  const fs = request.fs ?? nodeFs;
  return ok({
    spec,
    restart: consumersOf(spec, stack),
    // Under the folder's lock, like generate, and from the file as it is then: a generate running
    // at the same time could otherwise write back the old value after "Rotated" was printed.
    apply: () =>
      withOutputLock(outDir, fs, request.lock ?? {}, async ({ txDir }) => {
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
      }),
  });
}
