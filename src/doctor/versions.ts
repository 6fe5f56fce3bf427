/** "27.3.1", "v2.29.7", "24.0.7+dfsg1" → [27, 3, 1]; null when no version is found. */
export function parseVersion(text: string): number[] | null {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

export function atLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const a = version[i] ?? 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The generated healthchecks use `start_interval`: Engine API 1.44 (Docker 25) and a Compose
 * that passes it on (2.24); older ones refuse the file or ignore the field. */
export const MIN_DOCKER = [25, 0, 0] as const;
export const MIN_COMPOSE = [2, 24, 0] as const;
/** The kustomization llm writes is built and tested with kustomize v5, which kubectl bundles from
 * 1.27 on (docs/upstream-facts.md, "Kubernetes target"). */
export const MIN_KUBECTL = [1, 27, 0] as const;

export const versionText = (v: readonly number[]) => v.join(".");
