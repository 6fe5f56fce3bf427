import type { ConfigLayer } from "./types.js";

/** Identity function that gives editors the config's types; validation still runs at load time. */
export function defineConfig<const T extends ConfigLayer>(config: T): T {
  return config;
}
