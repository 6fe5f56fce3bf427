// Which Ollama `llm models` talks to, and which models the config declares.
// The URL comes from --url, else OLLAMA_HOST, else the generated stack's published port.
import { LlmError, type Result, fail, ok } from "../errors.js";
import { OLLAMA_PORT } from "../stack/helpers.js";
import type { Stack } from "../stack/types.js";

export interface OllamaEndpoint {
  url: string;
  /** Where the URL came from, for messages: "--url", "OLLAMA_HOST" or the config file. */
  from: string;
  /** The stack's service that publishes it, when the URL came from the stack. */
  service?: string;
}

export interface DeclaredModels {
  /** The config file, relative to the working folder. */
  file: string;
  /** `models` after merging presets: what the stack's `ollama-pull` service pulls. */
  models: string[];
}

const DEFAULT_PORT = "11434";

/**
 * OLLAMA_HOST's forms, read the way Ollama reads them: `host`, `host:port`, `:port`,
 * `http://host[:port][/path]`. Without a scheme the port defaults to 11434; with one, to the
 * scheme's port.
 */
export function normalizeOllamaUrl(raw: string, from: string): Result<string> {
  let text = raw.trim();
  let explicitScheme = text.includes("://");
  if (text.startsWith(":")) {
    text = `http://127.0.0.1${text}`;
    explicitScheme = true;
  }
  if (!explicitScheme) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(new LlmError("USAGE", `${from} ${JSON.stringify(raw)} is not a URL`, { hint: "use a form such as http://127.0.0.1:11434" }));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return fail(new LlmError("USAGE", `${from} ${JSON.stringify(raw)} is not an http(s) URL`, { hint: "use a form such as http://127.0.0.1:11434" }));
  }
  const port = url.port || (explicitScheme ? (url.protocol === "https:" ? "443" : "80") : DEFAULT_PORT);
  const path = url.pathname.replace(/\/+$/, "");
  return ok(`${url.protocol}//${url.hostname}:${port}${path}`);
}

/** --url or OLLAMA_HOST, when either is set; undefined means "ask the stack". */
export function explicitEndpoint(flag: string | undefined, env: Record<string, string | undefined>): Result<OllamaEndpoint> | undefined {
  const [raw, from] = flag !== undefined ? [flag, "--url"] : env["OLLAMA_HOST"] ? [env["OLLAMA_HOST"], "OLLAMA_HOST"] : [undefined, ""];
  if (raw === undefined) return undefined;
  const url = normalizeOllamaUrl(raw, from);
  return url.ok ? ok({ url: url.value, from }) : url;
}

/** The host port the generated docker-compose.yml publishes Ollama's API on: Ollama's own, or
 * that of the first of several Ollama instances (scaling module), so pulls land on one server. */
export function stackEndpoint(stack: Stack, configFile: string): Result<OllamaEndpoint> {
  if (stack.target === "kubernetes") {
    const namespace = stack.kubernetes?.namespace ?? stack.name;
    const pods = stack.services.find((service) => service.name === "ollama")?.replicas?.count ?? 1;
    return fail(
      new LlmError("OLLAMA_UNREACHABLE", `Ollama runs on the cluster (${configFile} targets Kubernetes), and a cluster publishes nothing on this machine`, {
        hint:
          pods > 1
            ? // A Service forward reaches one pod of several, each with its own models.
              `each of the ${pods} Ollama pods keeps its own models: add the model to models in ${configFile} and apply again (the pull Job pulls into every pod), or forward one pod at a time: \`kubectl -n ${namespace} port-forward pod/ollama-0 11434:11434\` and pass --url http://127.0.0.1:11434`
            : `forward its Service: \`kubectl -n ${namespace} port-forward svc/ollama 11434:11434\`, then pass --url http://127.0.0.1:11434 (or set OLLAMA_HOST)`,
      }),
    );
  }
  const publisher = stack.services.find((service) => service.ports.some((port) => port.containerPort === OLLAMA_PORT));
  const binding = publisher?.ports.find((port) => port.containerPort === OLLAMA_PORT);
  if (!binding) {
    const owner = stack.portsOwner;
    return fail(
      new LlmError(
        "OLLAMA_UNREACHABLE",
        `Ollama's API is not published on this machine (${owner ? `the ${owner.module} module is on in ${configFile}: only ${owner.service} publishes ports` : `ollama.publish is false in ${configFile}`})`,
        {
          hint: owner
            ? `pass --url / set OLLAMA_HOST to an address that reaches Ollama, or pull inside the stack: \`docker compose exec ${ollamaServiceOf(stack)} ollama pull MODEL\``
            : `set ollama: { publish: true } in the config, run \`llm generate\` and \`docker compose up -d ${ollamaServiceOf(stack)}\`; or pass --url / set OLLAMA_HOST`,
        },
      ),
    );
  }
  const host = binding.hostIp === undefined || binding.hostIp === "0.0.0.0" ? "127.0.0.1" : binding.hostIp;
  return ok({ url: `http://${host}:${binding.hostPort}`, from: configFile, service: publisher!.name });
}

/** The Ollama service to run commands in: "ollama", or "ollama-1" of several instances. */
function ollamaServiceOf(stack: Stack): string {
  return stack.services.some((s) => s.name === "ollama") ? "ollama" : "ollama-1";
}
