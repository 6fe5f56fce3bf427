// `llm outdated`: each image the folder was generated with (the manifest) and each one its config
// pins now, against the catalog this llm ships. Offline: the catalog is data built into llm.
import { imageCatalog } from "../generated/catalog.js";
import { compareVersions, tagVersion } from "../stack/images.js";
import type { Advisory } from "../stack/catalog-types.js";
import { affects, catalogEntryOf, fixedBetween, parseVersion } from "./catalog-match.js";

type ImageStatus = "current" | "behind" | "ahead" | "unknown";

export interface OutdatedRow {
  /** The services running this image ("librechat-1, librechat-2"). */
  services: string[];
  /** Catalog id, or null for an image the catalog does not know. */
  image: string | null;
  /** What the folder was generated with; null when the manifest does not say (an earlier llm). */
  deployed: string | null;
  /** What the config pins now. */
  configured: string;
  /** The catalog's pin. */
  current: string | null;
  status: ImageStatus;
  /** Advisories that affect the deployed or the configured version and are fixed at the catalog's pin. */
  advisories: Advisory[];
  /** Advisories the catalog's pin itself still has (fixed only in later versions). */
  openAtCurrent: Advisory[];
}

function statusOf(version: string, current: string): ImageStatus {
  const v = tagVersion(version);
  const c = tagVersion(current)!;
  if (!v) return "unknown";
  const order = compareVersions(v, c);
  // mongo:8.0 (a moving tag) is behind mongo:8.0.29: the patch it runs is whatever was pulled.
  if (order === 0 && v[2] === undefined && c[2] !== undefined) return "behind";
  return order < 0 ? "behind" : order > 0 ? "ahead" : "current";
}

const worst = (a: ImageStatus, b: ImageStatus): ImageStatus => {
  const rank: ImageStatus[] = ["current", "ahead", "unknown", "behind"];
  return rank.indexOf(a) >= rank.indexOf(b) ? a : b;
};

export function compareWithCatalog(configured: Record<string, string>, deployed: Record<string, string> | undefined): OutdatedRow[] {
  const rows = new Map<string, OutdatedRow>();
  for (const [service, image] of Object.entries(configured)) {
    const was = deployed?.[service] ?? null;
    const key = `${was ?? ""}\u0000${image}`;
    const row = rows.get(key);
    if (row) {
      row.services.push(service);
      continue;
    }
    const entry = catalogEntryOf(image) ?? (was ? catalogEntryOf(was) : undefined);
    const current = entry?.image ?? null;
    let status: ImageStatus = "unknown";
    const advisories = new Map<string, Advisory>();
    if (entry && current) {
      const currentVersion = tagVersion(current)!;
      status = statusOf(image, current);
      if (was) status = worst(status, statusOf(was, current));
      for (const version of [was, image]) {
        const v = version ? tagVersion(version) : undefined;
        if (v) for (const advisory of fixedBetween(entry, v, currentVersion)) advisories.set(advisory.id, advisory);
      }
    }
    const currentVersion = current ? tagVersion(current) : undefined;
    rows.set(key, {
      services: [service],
      image: entry?.id ?? null,
      deployed: was,
      configured: image,
      current,
      status,
      advisories: [...advisories.values()].sort((a, b) => compareVersions(parseVersion(a.fixedIn)!, parseVersion(b.fixedIn)!) || (a.id < b.id ? -1 : 1)),
      openAtCurrent: entry && currentVersion ? entry.advisories.filter((advisory) => affects(advisory, currentVersion)) : [],
    });
  }
  return [...rows.values()];
}

/** The catalog's date, for the report: what "current" means is as of then. */
export const CATALOG_VERIFIED = imageCatalog.verified;
