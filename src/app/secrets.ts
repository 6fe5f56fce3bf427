// `llm secrets` use cases: list the secrets the stack needs, rotate one. Reads the config to know
// the stack and where secrets.env lives.
import { path } from "../util/path.js";
import type { ResolveOptions } from "../config/resolve.js";
import { InternalError, LlmError, type Result, fail, ok } from "../errors.js";
import { fileMode, readText } from "../io/files.js";
import { fsFromEnv, type WriterFs } from "../io/fs.js";
import type { LockOptions } from "../io/lock.js";
import { commit } from "../io/transaction.js";
import { SECRETS_FILE } from "../layout.js";
import type { SecretSpec } from "../stack/secret-specs.js";
import { readersOf, secretsStatus, stackSecretSpecs, withRotated, withValue, type SecretStatus } from "../secrets/status.js";
import { parseSecrets } from "../secrets/store.js";
import { checkKustomizable } from "../secrets/kustomize-env.js";
import { wiredProblem } from "../secrets/wired-lines.js";
import { isGeneratedSecret } from "../modules/registry.js";
import { withOutputLock, writeFailed } from "./output-lock.js";
import { readFailed } from "./workspace.js";
import type { RandomString } from "../secrets/store.js";
import type { Stack } from "../stack/types.js";
import { editedError, runGenerate } from "./generate.js";
import { didYouMean } from "../util/did-you-mean.js";
import { openStack } from "./open-stack.js";

interface Located {
  stack: Stack;
  stacks: Stack[];
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
  return ok({ stack: opened.value.stack, stacks: opened.value.stacks, secretsPath, text });
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
export async function planRotation(request: WriteRequest & { name: string }): Promise<Result<RotatePlan>> {
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
          : VARIABLE_NAME.test(request.name)
            ? `unknown secret ${JSON.stringify(request.name)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`
            : "the name given is not a secret's name (not shown, in case it is a value)",
        {
          hint: own
            ? `give it a new value with \`llm secrets set ${request.name}\`, or edit it in ${SECRETS_FILE}`
            : `llm can rotate ${specs.map((s) => s.name).join(", ")}`,
        },
      ),
    );
  }
  if (text === null)
    return fail(new LlmError("SECRETS_NOT_FOUND", `${SECRETS_FILE} does not exist yet`, { hint: "run `llm generate`: it creates every secret" }));
  return ok({
    spec,
    restart: readersOf(stack, spec.name),
    apply: () => writeAndRegenerate(request, secretsPath, (current) => withRotated(current, spec, request.random)),
  });
}

interface WriteRequest {
  cwd: string;
  configPath?: string;
  options?: ResolveOptions;
  random: RandomString;
  /** The process environment, for the debugging knobs io/fs.ts reads; ignored when `fs` is given. */
  env?: Record<string, string | undefined>;
  fs?: WriterFs;
  lock?: LockOptions;
}

/** Edits secrets.env under the folder's lock, like generate, from the file as it is then (a
 * generate running at the same time could otherwise write back the old value after the command
 * said it was done); then generate rewrites the files in secrets/ the services read it from.
 * When generate fails or refuses, secrets.env is put back as it was: a value the services never
 * got would otherwise sit there, and `set`/`rotate` would have half happened.
 * Returns the paths written besides secrets.env. */
async function writeAndRegenerate(request: WriteRequest, secretsPath: string, edit: (current: string) => string): Promise<Result<string[]>> {
  const outDir = path.dirname(secretsPath);
  const fs = request.fs ?? fsFromEnv(request.env ?? {});
  const lock = request.lock ?? {};
  const written = await withOutputLock(outDir, fs, lock, async ({ txDir }) => {
    let current: { text: string; mode: number } | null;
    try {
      current = await fs.readFile(secretsPath);
    } catch (error) {
      return fail(readFailed(error, outDir, SECRETS_FILE));
    }
    if (current === null)
      return fail(new LlmError("SECRETS_NOT_FOUND", `${SECRETS_FILE} no longer exists`, { hint: "run `llm generate`: it creates every secret" }));
    const text = edit(current.text);
    try {
      await commit(outDir, txDir, { writes: [{ path: SECRETS_FILE, text, mode: 0o600 }], deletes: [] }, fs);
      return ok({ before: current, text });
    } catch (error) {
      return fail(writeFailed(error, outDir));
    }
  });
  if (!written.ok) return written;
  let regenerated: Result<string[]>;
  try {
    const run = await runGenerate({
      cwd: request.cwd,
      ...(request.configPath ? { configPath: request.configPath } : {}),
      ...(request.options ? { options: request.options } : {}),
      random: request.random,
      fs,
      ...(request.lock ? { lock: request.lock } : {}),
    });
    regenerated = !run.ok
      ? run
      : run.value.refused.length > 0
        ? fail(editedError(run.value.refused))
        : ok(run.value.written.filter((file) => file !== SECRETS_FILE));
  } catch (error) {
    await putBack(outDir, fs, lock, written.value);
    throw error;
  }
  if (regenerated.ok) return regenerated;
  const restored = await putBack(outDir, fs, lock, written.value);
  if (restored.ok) return regenerated;
  const { error } = regenerated;
  return fail(
    new LlmError(error.code, `${error.message}; ${SECRETS_FILE} keeps the new value: putting it back failed (${restored.error.message})`, {
      diagnostics: [...error.diagnostics],
      ...(error.hint ? { hint: error.hint } : {}),
    }),
  );
}

/** secrets.env back to its bytes and mode before the edit, unless something else changed it since. */
async function putBack(outDir: string, fs: WriterFs, lock: LockOptions, edit: { before: { text: string; mode: number }; text: string }): Promise<Result<void>> {
  const secretsPath = path.join(outDir, SECRETS_FILE);
  return withOutputLock(outDir, fs, lock, async ({ txDir }) => {
    try {
      if ((await fs.readText(secretsPath)) !== edit.text) return ok(undefined);
      await commit(outDir, txDir, { writes: [{ path: SECRETS_FILE, text: edit.before.text, mode: edit.before.mode }], deletes: [] }, fs);
      return ok(undefined);
    } catch (error) {
      return fail(writeFailed(error, outDir));
    }
  });
}

export interface SetReport {
  name: string;
  /** Services to recreate so they read the value. */
  restart: string[];
  /** Paths written besides secrets.env. */
  written: string[];
}

/** A value LibreChat reads from its environment as it is: one line, no control characters. */
function valueProblem(value: string): string | undefined {
  if (value === "") return "the value is empty (LibreChat treats an empty variable as unset)";
  if (/[\n\r]/.test(value)) return "the value holds a line break: a key or URL is one line";
  // oxlint-disable-next-line no-control-regex -- the point is to find them
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value)) return "the value holds control characters";
  if (value.length > 65536) return `the value is ${value.length} characters long, over 65536`;
  return undefined;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` is no name `llm secrets set` takes, checked before the value is asked for. Never
 * echoes what is not a variable name: `llm secrets set OPENAI_API_KEY=sk-...` has the key in it. */
export function secretNameProblem(name: string): LlmError | undefined {
  if (!VARIABLE_NAME.test(name)) {
    const before = name.slice(0, name.indexOf("="));
    if (name.includes("=") && VARIABLE_NAME.test(before))
      return new LlmError("USAGE", `the argument holds "=": ${before} was not set, and the value is not taken from the command line (shell history, ps)`, {
        hint: `pass the value on stdin or at the prompt: printf %s "$VALUE" | llm secrets set ${before}`,
      });
    return new LlmError("USAGE", "the name given is not a variable name (not shown, in case it is a value)", {
      hint: "letters, digits and _, not starting with a digit, e.g. GROQ_API_KEY; the value goes on stdin or at the prompt",
    });
  }
  if (isGeneratedSecret(name))
    return new LlmError("USAGE", `${name} is a secret llm generates`, {
      hint: `\`llm secrets rotate ${name}\` gives it a new value; to choose the value yourself, edit ${SECRETS_FILE} (llm keeps a valid one)`,
    });
  const wired = wiredProblem(name);
  if (wired) return new LlmError("USAGE", `${name} was not set: ${wired.message}`, { hint: wired.hint });
  return undefined;
}

/** `llm secrets set NAME`: a key of the user's own (an endpoint's ${NAME}) into secrets.env, then the
 * files the services read it from. The value is never echoed, logged or part of an error. */
export async function setSecret(request: WriteRequest & { name: string; value: string }): Promise<Result<SetReport>> {
  const { name, value } = request;
  const located = await locate(request);
  if (!located.ok) return located;
  const { stack, secretsPath, text } = located.value;
  const refused = secretNameProblem(name);
  if (refused) return fail(refused);
  const problem = valueProblem(value);
  if (problem)
    return fail(
      new LlmError("USAGE", `${name} was not set: ${problem}`, { hint: "pass the value on stdin or at the prompt, exactly as the service needs it" }),
    );
  if (text === null)
    return fail(
      new LlmError("SECRETS_NOT_FOUND", `${SECRETS_FILE} does not exist yet`, { hint: "run `llm generate` first: it creates the file and every secret" }),
    );
  // kustomize's secretGenerator reads the same file more literally than Compose: refused before
  // anything is written, as generate would refuse it after.
  if (located.value.stacks.some((s) => s.kubernetes && !s.kubernetes.secrets.existingSecret)) {
    const kustomizable = checkKustomizable(withValue(text, name, value));
    if (!kustomizable.ok) return kustomizable;
  }
  const edit = (current: string) => {
    const edited = withValue(current, name, value);
    // What Compose will read back is what was given, or nothing is written.
    if (parseSecrets(edited).get(name)?.value !== value) throw new InternalError(`${name}'s value does not read back as it was given`);
    return edited;
  };
  const written = await writeAndRegenerate(request, secretsPath, edit);
  if (!written.ok) return written;
  return ok({ name, restart: stack.userSecretReaders, written: written.value });
}
