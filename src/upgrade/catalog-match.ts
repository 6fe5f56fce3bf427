// Which catalog entry an image reference is a version of. An image is matched by its repository
// (the catalog's pin or any pin a release shipped: gcr.io/cadvisor/cadvisor was cAdvisor's before
// ghcr.io) and the suffix after its version (`-rocm`, `-alpine`), so ollama:0.12.6-rocm is the
// ROCm entry's and mongo:4.4.29 the no-AVX line's. Nothing here contacts a registry.
import { imageCatalog } from "../generated/catalog.js";
import { compareVersions, imageTag, tagVersion } from "../stack/images.js";
import type { Advisory, CatalogImage } from "../stack/catalog-types.js";

export type Version = [number, number | undefined, number | undefined];

/** `ghcr.io/google/cadvisor` of `ghcr.io/google/cadvisor:v0.60.5@sha256:…`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split("@")[0] ?? "";
  const tag = imageTag(withoutDigest);
  return tag === "" ? withoutDigest : withoutDigest.slice(0, withoutDigest.length - tag.length - 1);
}

/** The part of a tag after its version: "-rocm" of 0.32.15-rocm, "" of v1.35.1. */
function tagSuffix(image: string): string | undefined {
  const match = /^v?\d+(?:\.\d+){0,2}(-.*)?$/.exec(imageTag(image));
  return match ? (match[1] ?? "") : undefined;
}

function knownImages(entry: CatalogImage): string[] {
  return [entry.image, ...imageCatalog.releases.flatMap((release) => (release.images[entry.id] ? [release.images[entry.id]!] : []))];
}

/** The catalog entry an image is a version of, or undefined (another image, or a tag without a version). */
export function catalogEntryOf(image: string): CatalogImage | undefined {
  const repository = imageRepository(image);
  const suffix = tagSuffix(image);
  const version = tagVersion(image);
  if (suffix === undefined || !version) return undefined;
  const candidates = imageCatalog.images.filter((entry) =>
    knownImages(entry).some((known) => imageRepository(known) === repository && tagSuffix(known) === suffix),
  );
  if (candidates.length <= 1) return candidates[0];
  // mongo's two lines: the one whose series this is, else the default one.
  const sameSeries = candidates.find((entry) => {
    const pinned = tagVersion(entry.image)!;
    return pinned[0] === version[0] && pinned[1] === version[1];
  });
  return sameSeries ?? candidates.find((entry) => entry.sets.length > 0) ?? candidates[0];
}

/** The config path that pins an entry ("meilisearch.image"), from where the build writes its pin. */
export function configPathOf(entry: CatalogImage): string | undefined {
  return entry.sets[0]?.split(":")[1];
}

export function parseVersion(text: string): Version | undefined {
  return tagVersion(`x:${text}`);
}

/** Whether an advisory affects a version. */
export function affects(advisory: Advisory, version: Version): boolean {
  const fixed = parseVersion(advisory.fixedIn)!;
  const introduced = advisory.introducedIn === undefined ? undefined : parseVersion(advisory.introducedIn);
  return compareVersions(version, fixed) < 0 && (introduced === undefined || compareVersions(version, introduced) >= 0);
}

/** The advisories that affect `from` and are fixed at `to`: what moving from one to the other fixes. */
export function fixedBetween(entry: CatalogImage, from: Version, to: Version): Advisory[] {
  return entry.advisories.filter((advisory) => affects(advisory, from) && !affects(advisory, to) && compareVersions(parseVersion(advisory.fixedIn)!, to) <= 0);
}
