// CHANGELOG.md's "Images" sections, written from the catalog (scripts/changelog.mjs), and the
// rules that keep the catalog honest when a pin changes: the newest release lists every pin as it
// is, and every pin change between two releases was reviewed for migration steps.
import { imageCatalog } from "../generated/catalog.js";
import { migrationCatalog } from "../generated/migrations.js";
import { imageTag, tagVersion } from "../stack/images.js";
import type { ImageCatalog } from "../stack/catalog-types.js";
import { affects, catalogEntryOf, fixedBetween } from "./catalog-match.js";
import type { MigrationCatalog } from "./migration-types.js";
import { stepsFor } from "./plan.js";

export function catalogProblems(catalog: ImageCatalog = imageCatalog, migrations: MigrationCatalog = migrationCatalog): string[] {
  const problems: string[] = [];
  const last = catalog.releases[catalog.releases.length - 1];
  if (!last) return ["catalog/images.json: releases is empty"];
  const ids = new Set(catalog.images.map((entry) => entry.id));
  for (const entry of catalog.images) {
    if (last.images[entry.id] !== entry.image)
      problems.push(
        `catalog/images.json: ${entry.id} pins ${entry.image}, but the newest release (${last.version}) lists ${last.images[entry.id] ?? "nothing"}: add a release entry for the new pin`,
      );
  }
  for (const id of Object.keys(last.images))
    if (!ids.has(id)) problems.push(`catalog/images.json: release ${last.version} lists ${id}, which has no catalog entry`);
  for (let i = 1; i < catalog.releases.length; i++) {
    const before = catalog.releases[i - 1]!;
    const release = catalog.releases[i]!;
    for (const [id, image] of Object.entries(release.images)) {
      const was = before.images[id];
      if (was === image) continue;
      const from = was === undefined ? null : imageTag(was);
      const reviewed = migrations.reviewed.some((r) => r.image === id && r.from === from && r.to === imageTag(image));
      if (!reviewed)
        problems.push(
          `catalog/migrations.json: ${id} ${from ?? "(new)"} -> ${imageTag(image)} (release ${release.version}) has no 'reviewed' entry: read the upstream changes between them, add the steps it needs and { "image": "${id}", "from": ${JSON.stringify(from)}, "to": "${imageTag(image)}" }`,
        );
    }
  }
  for (const step of migrations.steps)
    for (const id of step.image) if (!ids.has(id)) problems.push(`catalog/migrations.json: step ${step.id} names ${id}, which is not in the catalog`);
  return problems;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function renderChangelog(catalog: ImageCatalog = imageCatalog): string {
  const lines = [
    "# Changelog",
    "",
    "Written by `node scripts/changelog.mjs` from `catalog/images.json` and `catalog/migrations.json`; do not edit it by hand.",
    "`llm outdated` compares a folder with the newest release's images, `llm upgrade --plan` lists the steps of a move.",
  ];
  for (let i = catalog.releases.length - 1; i >= 0; i--) {
    const release = catalog.releases[i]!;
    const before = catalog.releases[i - 1];
    lines.push("", `## ${release.version}${release.date ? ` (${release.date})` : ""}`, "");
    if (release.note) lines.push(release.note, "");
    lines.push("### Images", "");
    if (!before) {
      lines.push("| image | pin |", "|---|---|");
      for (const [id, image] of Object.entries(release.images)) lines.push(`| ${id} | \`${image}\` |`);
      continue;
    }
    lines.push("| image | before | now | advisories fixed | steps (`llm upgrade --plan`) |", "|---|---|---|---|---|");
    const unchanged: string[] = [];
    for (const [id, image] of Object.entries(release.images)) {
      const was = before.images[id];
      if (was === image) {
        unchanged.push(id);
        continue;
      }
      const entry = catalog.images.find((e) => e.id === id) ?? catalogEntryOf(image);
      const from = was ? tagVersion(was) : undefined;
      const to = tagVersion(image);
      const fixed = entry && from && to ? fixedBetween(entry, from, to).map((a) => a.id) : [];
      const steps = was ? stepsFor({ image: id, service: id, from: was, to: image }).map((s) => `${s.id} (${s.kind}${s.oneWay ? ", one-way" : ""})`) : [];
      lines.push(`| ${id} | ${was ? `\`${was}\`` : "new"} | \`${image}\` | ${cell(fixed.join(", ") || "-")} | ${cell(steps.join(", ") || "-")} |`);
    }
    if (unchanged.length > 0) lines.push("", `Unchanged: ${unchanged.join(", ")}.`);
    const open = catalog.images.flatMap((entry) => {
      if (release.images[entry.id] !== entry.image) return [];
      const v = tagVersion(entry.image)!;
      const still = entry.advisories.filter((a) => affects(a, v));
      return still.length > 0 ? [`${entry.id} ${imageTag(entry.image)}: ${still.map((a) => `${a.id} (fixed in ${a.fixedIn})`).join(", ")}`] : [];
    });
    if (open.length > 0) lines.push("", `Advisories still open at these pins: ${open.join("; ")}.`);
  }
  return `${lines.join("\n")}\n`;
}
