import { distance } from "fastest-levenshtein";

/** The closest candidate when it is near enough to be a plausible typo, else undefined. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lowered = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a 10 MB input is not compared letter by letter.
    if (Math.abs(candidate.length - input.length) > Math.max(input.length, candidate.length) / 3 + 1) continue;
    const d = candidate.toLowerCase() === lowered ? 0 : distance(lowered, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}
