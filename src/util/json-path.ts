/** `/ollama/gpu/deviceIds/0` → `ollama.gpu.deviceIds[0]`, the form users see in diagnostics. */
export function pointerToPath(pointer: string): string {
  if (pointer === "") return "";
  return pointerSegments(pointer).reduce<string>((path, segment) => appendPath(path, segment), "");
}

/** Whether `path` is `at` itself or a path below it (`ollama.gpu` is below `ollama`, `ollamaX` is not). */
export const isAtOrBelow = (path: string, at: string): boolean => path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);

export function appendPath(path: string, segment: string | number): string {
  if (typeof segment === "number" || /^\d+$/.test(segment)) return `${path}[${segment}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) return path ? `${path}.${segment}` : segment;
  return `${path}[${JSON.stringify(segment)}]`;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function getAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
