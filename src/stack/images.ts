// What an image reference says about its version. Tags are read, never guessed: a tag that says
// nothing (a digest, `latest`, a branch) gives undefined and the caller decides what that means.
import { imageCatalog } from "../generated/catalog.js";
import { InternalError } from "../errors.js";
import type { CatalogImage } from "./catalog-types.js";

export function catalogImage(id: string): CatalogImage {
  const entry = imageCatalog.images.find((image) => image.id === id);
  if (!entry) throw new InternalError(`catalog/images.json has no image ${id}`);
  return entry;
}

/** MongoDB 5+ needs AVX; 4.4 is the last line that runs without it. */
export const MONGO_NO_AVX_IMAGE = catalogImage("mongodb-no-avx").image;

/** The tag of `registry:port/name:tag@digest` ("" when there is none). */
export function imageTag(image: string): string {
  const withoutDigest = image.split("@")[0] ?? "";
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon === -1 ? "" : withoutDigest.slice(colon + 1);
}

/** [major, minor, patch] of a tag such as `v0.8.7`, `8.0.29`, `0.32.15-rocm` or `1.30.4-alpine`; a
 * missing minor or patch is undefined. */
export function tagVersion(image: string): [number, number | undefined, number | undefined] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[A-Za-z0-9.-]+)?$/.exec(imageTag(image));
  if (!match) return undefined;
  return [Number(match[1]), match[2] === undefined ? undefined : Number(match[2]), match[3] === undefined ? undefined : Number(match[3])];
}

/** The major version in an image tag such as `mongo:8.0` → 8; undefined when the tag says nothing. */
export function mongoMajorVersion(image: string): number | undefined {
  return tagVersion(image)?.[0];
}

/** a < b → negative; a missing part counts as 0. */
export function compareVersions(a: readonly (number | undefined)[], b: readonly (number | undefined)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
