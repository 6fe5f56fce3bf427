/** MongoDB 5+ needs AVX; 4.4 is the last line that runs without it. */
export const MONGO_NO_AVX_IMAGE = "mongo:4.4";

/** The major version in an image tag such as `mongo:8.0` → 8; undefined when the tag says nothing. */
export function mongoMajorVersion(image: string): number | undefined {
  const tag = /:([0-9]+)(?:[.\-]|$|@)/.exec(image.replace(/^[^/]*\/(?=.*\/)/, ""));
  return tag ? Number(tag[1]) : undefined;
}
