// The running Ollama, through the official `ollama` client: list, pull (streamed progress), delete.
// Every failure comes back as an LlmError naming the URL and what to do; nothing is thrown or printed.
import { Ollama, type ModelResponse } from "ollama";
import { LlmError, fail, ok } from "../errors.js";
import type { InstalledModel, ModelClient } from "../models/types.js";

export interface ModelClientOptions {
  url: string;
  /** Ctrl-C: aborts the request in flight, including a pull's progress stream. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** How long Ollama may take to start answering a request (a pull's stream then runs unbounded). */
  answerTimeoutMs?: number;
  /** The stack's service behind `url`, for hints (default "ollama"). */
  service?: string;
}

/** The stack's service behind the URL, for the commands a hint prints ("ollama", or "ollama-1"
 * when several Ollama instances run and the first is the one published). */
const startOllamaHint = (service = "ollama"): string =>
  `start it with \`docker compose up -d ${service}\` in the folder holding docker-compose.yml (\`llm generate\` writes it), or point to another server with --url or OLLAMA_HOST`;

class NoAnswer extends Error {}

const DEFAULT_ANSWER_TIMEOUT_MS = 15_000;

/**
 * fetch with Ctrl-C and a time limit on the first answer. Ollama answers errors in JSON; anything
 * else (a proxy's HTML page) is turned into the same shape, because the client would otherwise
 * print its "Getting text from response" debug line to the console.
 */
function guardedFetch(base: typeof fetch, signal: AbortSignal | undefined, answerTimeoutMs: number): typeof fetch {
  return async (input, init) => {
    const noAnswer = new AbortController();
    const timer = setTimeout(() => noAnswer.abort(new NoAnswer()), answerTimeoutMs);
    const signals = [noAnswer.signal, ...(init?.signal ? [init.signal] : []), ...(signal ? [signal] : [])];
    try {
      const response = await base(input, { ...init, signal: AbortSignal.any(signals) });
      if (response.ok || response.headers.get("content-type")?.includes("application/json")) return response;
      const text = (await response.text()).trim();
      return new Response(JSON.stringify({ error: text || `HTTP ${response.status} ${response.statusText}` }), {
        status: response.status,
        statusText: response.statusText,
        headers: { "content-type": "application/json" },
      });
    } finally {
      clearTimeout(timer);
    }
  };
}

function toInstalled(m: ModelResponse): InstalledModel {
  const modified = m.modified_at as Date | string;
  return {
    name: m.name,
    size: m.size,
    digest: m.digest,
    modifiedAt: typeof modified === "string" ? modified : modified.toISOString(),
    family: m.details?.family ?? "",
    parameterSize: m.details?.parameter_size ?? "",
    quantization: m.details?.quantization_level ?? "",
  };
}

export function connectOllama(options: ModelClientOptions): ModelClient {
  const { url, signal } = options;
  const ollama = new Ollama({ host: url, fetch: guardedFetch(options.fetch ?? fetch, signal, options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS) });
  const explain = (error: unknown, action: Action) =>
    describeFailure(error, { url, action, interrupted: signal?.aborted === true, ...(options.service ? { service: options.service } : {}) });
  return {
    url,
    async version() {
      try {
        return ok((await ollama.version()).version);
      } catch (error) {
        return fail(explain(error, { verb: "asking for its version" }));
      }
    },
    async list() {
      try {
        const { models } = await ollama.list();
        return ok((models ?? []).map(toInstalled));
      } catch (error) {
        return fail(explain(error, { verb: "listing models" }));
      }
    },
    async pull(model, onProgress) {
      try {
        const stream = await ollama.pull({ model, stream: true });
        for await (const event of stream) onProgress(event);
        return ok(undefined);
      } catch (error) {
        return fail(explain(error, { verb: `pulling ${model}`, model, pulling: true }));
      }
    },
    async remove(model) {
      try {
        await ollama.delete({ model });
        return ok(undefined);
      } catch (error) {
        return fail(explain(error, { verb: `removing ${model}`, model }));
      }
    },
  };
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
function describeFailure(error: unknown, context: { url: string; action: Action; interrupted: boolean; service?: string }): LlmError {
  const service = context.service ?? "ollama";
  const { url, action, interrupted } = context;
  if (interrupted) {
    return new LlmError("INTERRUPTED", `interrupted: stopped ${action.verb}`, {
      hint: action.pulling ? "Ollama keeps the layers downloaded so far: run the same command again to resume" : "nothing else was changed",
      cause: error,
    });
  }
  if (error instanceof NoAnswer || (error as { cause?: unknown })?.cause instanceof NoAnswer) {
    return new LlmError("OLLAMA_UNREACHABLE", `Ollama at ${url} did not answer while ${action.verb}`, {
      hint: `check that ${url} is Ollama's API; ${startOllamaHint(service)}`,
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
