// The running Ollama, through the official `ollama` client: list, pull (streamed progress), delete.
// Every failure comes back as an LlmError naming the URL and what to do; nothing is thrown or printed.
import { Ollama } from "ollama";
import { LlmError, fail, ok } from "../errors.js";
import type { InstalledModel, ModelClient, PullEvent } from "../models/types.js";

export interface ModelClientOptions {
  url: string;
  /** Ctrl-C: aborts the request in flight, including a pull's progress stream. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** How long a whole answer may take (list, delete, version): headers and body. */
  answerTimeoutMs?: number;
  /** How long a pull's progress stream may go without an event before it counts as stalled. */
  idleTimeoutMs?: number;
  /** The stack's service behind `url`, for hints (default "ollama"). */
  service?: string;
}

/** The stack's service behind the URL, for the commands a hint prints ("ollama", or "ollama-1"
 * when several Ollama instances run and the first is the one published). */
const startOllamaHint = (service = "ollama"): string =>
  `start it with \`docker compose up -d ${service}\` in the folder holding docker-compose.yml (\`llm generate\` writes it), or point to another server with --url or OLLAMA_HOST`;

/** No complete answer within the limit: none at all, or (`started`) a body that trickled or went silent. */
class NoAnswer extends Error {
  constructor(readonly started: boolean) {
    super(started ? "the answer did not finish in time" : "no answer in time");
  }
}
/** A pull's stream sent no event for the idle limit. */
class Stalled extends Error {}

const DEFAULT_ANSWER_TIMEOUT_MS = 15_000;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * fetch with Ctrl-C and the call's own abort signal (its time limits). Ollama answers errors in
 * JSON; anything else (a proxy's HTML page) is turned into the same shape, because the client
 * would otherwise print its "Getting text from response" debug line to the console.
 */
function guardedFetch(base: typeof fetch, signals: readonly AbortSignal[], onHeaders: () => void): typeof fetch {
  return async (input, init) => {
    const response = await base(input, { ...init, signal: AbortSignal.any([...signals, ...(init?.signal ? [init.signal] : [])]) });
    onHeaders();
    if (response.ok || response.headers.get("content-type")?.includes("application/json")) return response;
    const text = (await response.text()).trim();
    return new Response(JSON.stringify({ error: text || `HTTP ${response.status} ${response.statusText}` }), {
      status: response.status,
      statusText: response.statusText,
      headers: { "content-type": "application/json" },
    });
  };
}

/** A client for one call, aborted by Ctrl-C or by `stop` (the call's time limits). */
function clientFor(options: ModelClientOptions, stop: AbortController, onHeaders: () => void = () => undefined): Ollama {
  return new Ollama({ host: options.url, fetch: guardedFetch(options.fetch ?? fetch, [stop.signal, ...(options.signal ? [options.signal] : [])], onHeaders) });
}

/** Runs `call` with the answer limit over all of it (headers and body): the first answer alone
 * was limited before, so headers followed by silence, or a body sent a byte at a time, hung. */
async function withinAnswerLimit<T>(options: ModelClientOptions, call: (ollama: Ollama) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  let started = false;
  const timer = setTimeout(() => stop.abort(new NoAnswer(started)), options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
  try {
    return await call(clientFor(options, stop, () => (started = true)));
  } catch (error) {
    throw stop.signal.aborted ? stop.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const text = (value: unknown) => (typeof value === "string" ? value : "");
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined);

/** /api/tags as this tool reads it, or what in it is not a model list. Checked here so that an odd
 * answer is said to be Ollama's, and a TypeError is never ours mistaken for Ollama's words. */
function modelList(answer: unknown): InstalledModel[] | string {
  if (!isRecord(answer)) return "the answer is not a JSON object";
  const models = answer["models"] ?? [];
  if (!Array.isArray(models)) return "its models field is not a list";
  const out: InstalledModel[] = [];
  for (let i = 0; i < models.length; i++) {
    const m: unknown = models[i];
    if (!isRecord(m) || typeof m["name"] !== "string" || m["name"] === "") return `models[${i}] has no name`;
    const details = isRecord(m["details"]) ? m["details"] : {};
    const modified = m["modified_at"];
    out.push({
      name: m["name"],
      size: count(m["size"]) ?? 0,
      digest: text(m["digest"]),
      modifiedAt: typeof modified === "string" ? modified : modified instanceof Date ? modified.toISOString() : "",
      family: text(details["family"]),
      parameterSize: text(details["parameter_size"]),
      quantization: text(details["quantization_level"]),
    });
  }
  return out;
}

/** One progress event as the renderer may take it: unexpected fields are dropped, not trusted. */
function progressEvent(event: unknown): PullEvent {
  const e = isRecord(event) ? event : {};
  const digest = typeof e["digest"] === "string" ? e["digest"] : undefined;
  const total = count(e["total"]);
  const completed = count(e["completed"]);
  return {
    status: text(e["status"]),
    ...(digest !== undefined ? { digest } : {}),
    ...(total !== undefined ? { total } : {}),
    ...(completed !== undefined ? { completed } : {}),
  };
}

export function connectOllama(options: ModelClientOptions): ModelClient {
  const { url, signal } = options;
  const explain = (error: unknown, action: Action) =>
    describeFailure(error, {
      url,
      action,
      interrupted: signal?.aborted === true,
      idleMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      ...(options.service ? { service: options.service } : {}),
    });
  return {
    url,
    async version() {
      let answer: unknown;
      try {
        answer = await withinAnswerLimit(options, (ollama) => ollama.version());
      } catch (error) {
        return fail(explain(error, { verb: "asking for its version" }));
      }
      return isRecord(answer) && typeof answer["version"] === "string"
        ? ok(answer["version"])
        : fail(oddAnswer(url, "asking for its version", "it has no version field"));
    },
    async list() {
      let answer: unknown;
      try {
        answer = await withinAnswerLimit(options, (ollama) => ollama.list());
      } catch (error) {
        return fail(explain(error, { verb: "listing models" }));
      }
      const models = modelList(answer);
      return typeof models === "string" ? fail(oddAnswer(url, "listing models", models)) : ok(models);
    },
    async pull(model, onProgress) {
      const action = { verb: `pulling ${model}`, model, pulling: true };
      const stop = new AbortController();
      const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
      // The first answer within the answer limit; then every event within the idle limit. A
      // stream that stalls after a line, or trickles bytes that never make a line, ends here.
      let timer = setTimeout(() => stop.abort(new NoAnswer(false)), options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
      const failure = (error: unknown) => fail(explain(stop.signal.aborted ? stop.signal.reason : error, action));
      try {
        let stream: AsyncIterable<unknown>;
        try {
          stream = await clientFor(options, stop).pull({ model, stream: true });
        } catch (error) {
          return failure(error);
        }
        const events = stream[Symbol.asyncIterator]();
        for (;;) {
          clearTimeout(timer);
          timer = setTimeout(() => stop.abort(new Stalled()), idleMs);
          let next: IteratorResult<unknown>;
          try {
            next = await events.next();
          } catch (error) {
            return failure(error);
          }
          if (next.done) return ok(undefined);
          // Outside the try: a failure of this tool's own code is not Ollama's.
          onProgress(progressEvent(next.value));
        }
      } finally {
        clearTimeout(timer);
      }
    },
    async remove(model) {
      try {
        await withinAnswerLimit(options, (ollama) => ollama.delete({ model }));
        return ok(undefined);
      } catch (error) {
        return fail(explain(error, { verb: `removing ${model}`, model }));
      }
    },
  };
}

function oddAnswer(url: string, verb: string, what: string): LlmError {
  return new LlmError("OLLAMA_ERROR", `Ollama at ${url} gave an answer this tool cannot read while ${verb}: ${what}`, {
    hint: `check that ${url} is Ollama's API (\`curl ${url}/api/version\`)`,
  });
}

interface Action {
  /** "pulling llama3.2:3b": what was under way. */
  verb: string;
  model?: string;
  pulling?: boolean;
}

/** The client ends a stream that stops before `success` with this error (ollama 0.6). */
const STREAM_ENDED_EARLY = "Did not receive done or success response in stream.";

/** Ollama's own words for a model it does not have (delete, show) or the library does not know (pull). */
const NOT_FOUND = /file does not exist|not found/i;

const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: "connection refused: nothing listens there",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed without an answer",
};

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

/** Sorts the ways a call to Ollama fails into the few a user can act on. */
function describeFailure(error: unknown, context: { url: string; action: Action; interrupted: boolean; idleMs?: number; service?: string }): LlmError {
  const service = context.service ?? "ollama";
  const { url, action, interrupted } = context;
  if (interrupted) {
    return new LlmError("INTERRUPTED", `interrupted: stopped ${action.verb}`, {
      hint: action.pulling ? "Ollama keeps the layers downloaded so far: run the same command again to resume" : "nothing else was changed",
      cause: error,
    });
  }
  const noAnswer =
    error instanceof NoAnswer ? error : (error as { cause?: unknown })?.cause instanceof NoAnswer ? (error as { cause: NoAnswer }).cause : undefined;
  if (noAnswer?.started) {
    return new LlmError("OLLAMA_ERROR", `Ollama at ${url} started answering but did not finish in time while ${action.verb}`, {
      hint: `Ollama may be overloaded or something between may hold the connection: check \`docker compose logs ${service}\` and ${url}`,
      cause: error,
    });
  }
  if (noAnswer) {
    return new LlmError("OLLAMA_UNREACHABLE", `Ollama at ${url} did not answer while ${action.verb}`, {
      hint: `check that ${url} is Ollama's API; ${startOllamaHint(service)}`,
      cause: error,
    });
  }
  if (error instanceof Stalled || (error as { cause?: unknown })?.cause instanceof Stalled) {
    const seconds = (context.idleMs ?? DEFAULT_IDLE_TIMEOUT_MS) / 1000;
    return new LlmError("OLLAMA_ERROR", `${action.verb} stalled: Ollama at ${url} sent no progress for ${seconds} s`, {
      hint: `Ollama keeps the layers downloaded so far: check its network (\`docker compose logs ${service}\`) and run the same command again to resume`,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && message === "fetch failed") {
    const code = causeCode(error);
    const why = (code && CONNECT_FAILURES[code]) ?? (error.cause instanceof Error ? error.cause.message : "no answer");
    return new LlmError("OLLAMA_UNREACHABLE", `cannot reach Ollama at ${url} (${why})`, { hint: startOllamaHint(service), cause: error });
  }
  if ((error instanceof TypeError && message === "terminated") || message === STREAM_ENDED_EARLY) {
    return new LlmError("OLLAMA_ERROR", `the connection to Ollama at ${url} closed in the middle of ${action.verb}`, {
      hint: action.pulling
        ? `Ollama may have restarted (\`docker compose ps ${service}\`, \`docker compose logs ${service}\`); run the same command again: the pull resumes where it stopped`
        : `Ollama may have restarted: check \`docker compose ps ${service}\` and run the command again`,
      cause: error,
    });
  }
  // Only Ollama's own words are quoted as such: its error answers (ResponseError, with a status)
  // and the `{"error": ...}` lines of a stream (plain Errors from the client). Anything else, a
  // TypeError or a JSON SyntaxError among them, is named as what it is.
  const isOllamasWords = error instanceof Error && (error.name === "ResponseError" || error.constructor === Error);
  if (!isOllamasWords) {
    return new LlmError(
      "OLLAMA_ERROR",
      `Ollama at ${url} gave an answer this tool cannot read while ${action.verb} (${error instanceof Error ? `${error.name}: ` : ""}${message})`,
      {
        hint: `check that ${url} is Ollama's API (\`curl ${url}/api/version\`)`,
        cause: error,
      },
    );
  }
  const status = (error as { status_code?: unknown } | undefined)?.status_code;
  if (action.model && (status === 404 || NOT_FOUND.test(message))) {
    return new LlmError(
      "MODEL_NOT_FOUND",
      action.pulling
        ? `Ollama's library has no model named ${action.model} (Ollama said: ${message})`
        : `Ollama has no model named ${action.model} (Ollama said: ${message})`,
      {
        hint: action.pulling
          ? "check the name and tag on https://ollama.com/library (e.g. llama3.2:3b); Hugging Face models are named hf.co/ORG/REPO:QUANT"
          : "`llm models list` shows the models Ollama has",
        cause: error,
      },
    );
  }
  const said = typeof status === "number" ? `HTTP ${status}: ${message}` : message;
  return new LlmError("OLLAMA_ERROR", `Ollama at ${url} failed ${action.verb} (Ollama said: ${said})`, {
    hint: `see \`docker compose logs ${service}\` for details`,
    cause: error,
  });
}
