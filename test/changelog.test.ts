// CHANGELOG.md is the catalog's, and a pin cannot change without the catalog saying so: a release
// entry for the new pin and a reviewed migration entry for the change.
import { readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { imageCatalog } from "../src/generated/catalog.js";
import { migrationCatalog } from "../src/generated/migrations.js";
import type { ImageCatalog } from "../src/stack/catalog-types.js";
import { catalogProblems, renderChangelog } from "../src/upgrade/changelog.js";
import { ROOT } from "./helpers/paths.js";

const test = suite("CHANGELOG.md and the pins: generated from the catalog, no pin change without its data");

test("the committed CHANGELOG.md is the one the catalog gives (node scripts/changelog.mjs)", () => {
  assert.fixture(readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8"), renderChangelog());
});

test("the catalog keeps its rules: every pin is the newest release's, every change between releases reviewed", () => {
  assert.equal(catalogProblems(), []);
});

test("a pin changed without a release entry, or without reviewed migration data, is named", () => {
  const moved = structuredClone(imageCatalog) as ImageCatalog;
  moved.images.find((e) => e.id === "meilisearch")!.image = "getmeili/meilisearch:v1.48.3";
  assert.equal(catalogProblems(moved, migrationCatalog), [
    "catalog/images.json: meilisearch pins getmeili/meilisearch:v1.48.3, but the newest release (0.1.0) lists getmeili/meilisearch:v1.35.1: add a release entry for the new pin",
  ]);
  moved.releases.push({ version: "0.2.0", images: { ...moved.releases[moved.releases.length - 1]!.images, meilisearch: "getmeili/meilisearch:v1.48.3" } });
  assert.equal(catalogProblems(moved, migrationCatalog), [
    `catalog/migrations.json: meilisearch v1.35.1 -> v1.48.3 (release 0.2.0) has no 'reviewed' entry: read the upstream changes between them, add the steps it needs and { "image": "meilisearch", "from": "v1.35.1", "to": "v1.48.3" }`,
  ]);
  const reviewed = { ...migrationCatalog, reviewed: [...migrationCatalog.reviewed, { image: "meilisearch", from: "v1.35.1", to: "v1.48.3" }] };
  assert.equal(catalogProblems(moved, reviewed), []);
  // The new release's section names the change and the one-way step it needs.
  assert.match(
    renderChangelog(moved),
    /\| meilisearch \| `getmeili\/meilisearch:v1\.35\.1` \| `getmeili\/meilisearch:v1\.48\.3` \| CVE-2026-57824, CVE-2026-57823 \| meilisearch-dumpless-upgrade \(data, one-way\) \|/,
  );
});

test.run();
