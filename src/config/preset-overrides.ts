// Presets merge in the order listed, later wins: a later preset that changes a value an earlier one
// exists to set (its `reasons`) undoes that preset without a word, as `low-ram` then `nvidia`
// gave a low-RAM host 16g and 4 parallel requests. Said, with the order that keeps it.
import type { Preset } from "./presets.js";

export interface PresetOverride {
  path: "presets";
  message: string;
  hint: string;
}

const valueAt = (values: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (node, key) => (node !== null && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined),
      values,
    );

const shown = (value: unknown) => JSON.stringify(value);

/** One warning per earlier preset whose reasons a later one overrides, naming each value. */
export function presetOverrides(presets: readonly Preset[]): PresetOverride[] {
  const out: PresetOverride[] = [];
  presets.forEach((earlier, index) => {
    const later = presets.slice(index + 1);
    const undone = Object.entries(earlier.reasons).flatMap(([path, why]) => {
      const mine = valueAt(earlier.values, path);
      // The last later preset that sets it is the one whose value stands.
      const winner = [...later].reverse().find((preset) => valueAt(preset.values, path) !== undefined);
      const theirs = winner && valueAt(winner.values, path);
      return winner && JSON.stringify(theirs) !== JSON.stringify(mine) ? [{ path, why, mine, theirs, by: winner.name }] : [];
    });
    if (undone.length === 0) return;
    const by = [...new Set(undone.map((u) => u.by))];
    const order = [...presets.filter((p) => p !== earlier).map((p) => p.name), earlier.name];
    out.push({
      path: "presets",
      message: `preset ${by.join(" and ")}, listed after ${earlier.name}, undoes what ${earlier.name} is for: ${undone
        .map((u) => `${u.path} ${shown(u.mine)} → ${shown(u.theirs)} (${earlier.name}: ${u.why})`)
        .join("; ")}`,
      hint: `list ${earlier.name} last to keep its values (presets: ${JSON.stringify(order)}), or set these keys in your file to choose them yourself`,
    });
  });
  return out;
}
