// Layer merge rules: maps merge key by key, arrays and scalars replace, null deletes.
// Every leaf remembers the layer that set it (its provenance), for `llm explain` and for
// pointing a diagnostic at the file a bad value came from.
import { appendPath, isAtOrBelow } from "../util/json-path.js";

export interface Layer {
  /** Shown to users: "defaults", "preset nvidia", "llm.config.ts", "--set". */
  source: string;
  /** The file behind the layer, for diagnostics. */
  file: string;
  values: Record<string, unknown>;
}

export interface Merged {
  value: Record<string, unknown>;
  /** Dotted path of each leaf (scalar or list) → the layer that set it. */
  provenance: Map<string, Layer>;
  /** Paths whose value a layer's `null` deleted → that layer (for "null deleted the default"). */
  deleted: Map<string, Layer>;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function mergeLayers(layers: readonly Layer[]): Merged {
  const value: Record<string, unknown> = {};
  const provenance = new Map<string, Layer>();
  const deleted = new Map<string, Layer>();

  // Only a map has provenance under its own path; a scalar or a list has one entry, its own (the
  // common case: a later layer replacing a value), so the walk over every entry is for maps only.
  const forget = (path: string, replaced: unknown) => {
    if (!isMap(replaced)) {
      provenance.delete(path);
      return;
    }
    // A Map visits each key once even when entries are deleted on the way.
    for (const key of provenance.keys()) {
      if (isAtOrBelow(key, path)) provenance.delete(key);
    }
  };

  const mergeInto = (target: Record<string, unknown>, source: Record<string, unknown>, path: string, layer: Layer) => {
    for (const [key, incoming] of Object.entries(source)) {
      const childPath = appendPath(path, key);
      if (incoming === undefined) continue;
      const present = Object.hasOwn(target, key);
      if (incoming === null) {
        if (present) {
          forget(childPath, target[key]);
          deleted.set(childPath, layer);
        }
        delete target[key];
        continue;
      }
      if (isMap(incoming)) {
        const existing = target[key];
        if (!isMap(existing)) {
          if (present) forget(childPath, existing);
          target[key] = {};
        }
        mergeInto(target[key] as Record<string, unknown>, incoming, childPath, layer);
        if (Object.keys(incoming).length === 0) provenance.set(childPath, provenance.get(childPath) ?? layer);
        continue;
      }
      if (present) forget(childPath, target[key]);
      target[key] = typeof incoming === "object" ? structuredClone(incoming) : incoming;
      provenance.set(childPath, layer);
    }
  };

  for (const layer of layers) mergeInto(value, layer.values, "", layer);
  return { value, provenance, deleted };
}

/** The layer that set `path` or, failing that, the nearest enclosing value. */
export function layerOf(merged: Merged, path: string): Layer | undefined {
  let current = path;
  while (current) {
    const layer = merged.provenance.get(current);
    if (layer) return layer;
    for (const [key, candidate] of merged.provenance) {
      if (key.startsWith(`${current}.`) || key.startsWith(`${current}[`)) return candidate;
    }
    const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
    current = cut > 0 ? current.slice(0, cut) : "";
  }
  return undefined;
}
