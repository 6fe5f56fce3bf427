// The nginx the tests run: one that knows `server ... resolve` (1.27.3+), as the pinned image does.
// Debian 12's nginx (1.22) rejects the generated file, so it is no judge of it; CI installs a
// current one with scripts/install-test-tools.sh, and LLM_TEST_NGINX names another.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./paths.js";

const MINIMUM = [1, 27, 3];

let found: string | undefined;

/** The nginx command to run; throws (never skips) with what to do when there is none. */
export function nginxBinary(): string {
  if (found) return found;
  const candidates = [process.env["LLM_TEST_NGINX"], path.join(ROOT, ".test-tools", "bin", "nginx")].filter((c): c is string => !!c);
  const seen: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) {
      seen.push(`${candidate}: missing`);
      continue;
    }
    const run = spawnSync(candidate, ["-v"], { encoding: "utf8" });
    const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(`${run.stdout}${run.stderr}`)?.slice(1).map(Number);
    if (version && compare(version, MINIMUM) >= 0) return (found = candidate);
    seen.push(
      `${candidate}: ${version ? `nginx ${version.join(".")} is older than ${MINIMUM.join(".")}` : `does not run (${run.stderr.trim() || run.error?.message})`}`,
    );
  }
  throw new Error(`no nginx ${MINIMUM.join(".")}+ for the tests (${seen.join("; ")}): run scripts/install-test-tools.sh, or set LLM_TEST_NGINX`);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) - b[i]!;
  return 0;
}
