// What an image does at the version its tag names, as read from the upstream source of each
// release (docs/upstream-facts.md cites the file and line of every fact here). A tag that names
// no version, or one outside what was read, gets the facts of the nearest release read, and the
// stack says so (a warning), so nothing is assumed silently.
import { catalogImage, compareVersions, tagVersion } from "./images.js";
import type { Notice } from "./types.js";

interface LibrechatFacts {
  /** CONFIG_VERSION in packages/data-provider/src/config.ts: librechat.yaml's `version`. */
  configVersion: string;
  /** The log folder the image creates and writes (Dockerfile mkdir, getLogDirectory at cwd /app). */
  logDir: string;
  /** GET /metrics, answered to `Authorization: Bearer <METRICS_SECRET>` (api/server/index.js). */
  metrics: boolean;
  /** /app/skill, created by the image for skills' files. */
  skillFolder: boolean;
}

/** Each row holds from its version up to the next row's. */
const LIBRECHAT: readonly (LibrechatFacts & { from: [number, number, number] })[] = [
  { from: [0, 8, 0], configVersion: "1.3.0", logDir: "/app/api/logs", metrics: false, skillFolder: false },
  { from: [0, 8, 1], configVersion: "1.3.1", logDir: "/app/api/logs", metrics: false, skillFolder: false },
  { from: [0, 8, 2], configVersion: "1.3.3", logDir: "/app/logs", metrics: false, skillFolder: false },
  { from: [0, 8, 3], configVersion: "1.3.6", logDir: "/app/logs", metrics: false, skillFolder: false },
  { from: [0, 8, 5], configVersion: "1.3.9", logDir: "/app/logs", metrics: false, skillFolder: false },
  { from: [0, 8, 6], configVersion: "1.3.12", logDir: "/app/logs", metrics: true, skillFolder: false },
  { from: [0, 8, 7], configVersion: "1.3.13", logDir: "/app/logs", metrics: true, skillFolder: true },
];

export interface LibrechatRelease extends LibrechatFacts {
  /** The version the facts are for: the image's own, or the nearest one read. */
  version: string;
}

const versionText = (v: readonly (number | undefined)[]) => `v${v.map((n) => n ?? 0).join(".")}`;

export function librechatRelease(image: string, warnings: Notice[]): LibrechatRelease {
  const pinned = tagVersion(catalogImage("librechat").image)!;
  const version = tagVersion(image);
  const newest = LIBRECHAT[LIBRECHAT.length - 1]!;
  if (!version) {
    warnings.push({
      path: "librechat.image",
      message: `the tag of ${image} names no version, so the generated files assume LibreChat ${versionText(pinned)} (librechat.yaml version, log folder, /metrics)`,
      hint: "pin a released tag such as ghcr.io/danny-avila/librechat:v0.8.7",
    });
    return facts(pinned);
  }
  if (compareVersions(version, LIBRECHAT[0]!.from) < 0) {
    warnings.push({
      path: "librechat.image",
      message: `${image} is older than any LibreChat release llm knows (v0.8.0): the files are written for v0.8.0`,
      hint: `use ${catalogImage("librechat").image}`,
    });
  } else if (compareVersions(version, newest.from) > 0) {
    warnings.push({
      path: "librechat.image",
      message: `${image} is newer than the LibreChat releases this llm was checked against (up to ${versionText(newest.from)}): the files are written for ${versionText(newest.from)}`,
      hint: "check the release notes for librechat.yaml changes, or upgrade llm",
    });
  }
  return facts(version);
}

function facts(version: readonly (number | undefined)[]): LibrechatRelease {
  let row = LIBRECHAT[0]!;
  for (const candidate of LIBRECHAT) if (compareVersions(version, candidate.from) >= 0) row = candidate;
  const { from: _from, ...rest } = row;
  return { ...rest, version: versionText(version) };
}
