// What `llm models` knows of a running Ollama: its installed models, a pull's progress events,
// and the client interface (io/ollama-client.ts implements it; tests pass fakes).
import type { Result } from "../errors.js";

export interface InstalledModel {
  name: string;
  size: number;
  digest: string;
  /** ISO 8601, as Ollama reports it. */
  modifiedAt: string;
  family: string;
  parameterSize: string;
  quantization: string;
}

/** One line of `/api/pull`'s stream: a status, and for a layer its digest and byte counts. */
export interface PullEvent {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

export interface ModelClient {
  readonly url: string;
  version(): Promise<Result<string>>;
  list(): Promise<Result<InstalledModel[]>>;
  pull(model: string, onProgress: (event: PullEvent) => void): Promise<Result<void>>;
  remove(model: string): Promise<Result<void>>;
}
