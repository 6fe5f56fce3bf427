// The shape of catalog/images.json (embedded at build time as src/generated/catalog.js).

interface Advisory {
  id: string;
  /** The first version of the image's line without it. */
  fixedIn: string;
  severity: "low" | "medium" | "high" | "critical";
  summary: string;
}

export interface CatalogImage {
  id: string;
  /** name:tag, exactly as the generated files write it. */
  image: string;
  /** Where the build writes the pin: "defaults:librechat.image", "amd:ollama.image". */
  sets: string[];
  usedWhen?: string;
  line: string;
  /** End of life of the release line (a date), or null while it is supported. */
  eol: string | null;
  upstream: { repo: string; tag: string; commit: string; released: string; publishedBy: string };
  /** When the pin was last read against its upstream source (a date). */
  verified: string;
  /** "partial" when the tag could not be read at its source (the note says what was). */
  confidence?: "partial";
  note?: string;
  advisories: Advisory[];
}

/** @public src/generated/catalog.d.ts, written by the build, types the embedded catalog with it. */
export interface ImageCatalog {
  comment: string;
  verified: string;
  images: CatalogImage[];
}
