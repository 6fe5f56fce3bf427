// What `llm generate` tells a person: what changed on disk, then how to start and use the stack.
import { octal } from "../app/folder-modes.js";
import type { GenerateReport } from "../app/generate.js";
import { MANIFEST_FILE } from "../layout.js";
import type { Stack } from "../stack/types.js";
import type { Style } from "./style.js";
import { table } from "./table.js";

export function generateSummary(report: GenerateReport, s: Style): string[] {
  const lines = changeSummary(report, s);
  for (const stack of report.generated.stacks)
    lines.push("", ...(stack.target === "kubernetes" ? kubernetesSteps(report, stack, s) : composeSteps(report, stack, s)));
  return lines;
}

const stepTable = (steps: string[][], s: Style) =>
  table(
    steps.map(([command, why]) => [s.cyan(command ?? ""), why ?? ""]),
    "  ",
  );

/** What generate wrote, without its next steps (`llm upgrade` has its own, in its plan). */
export function changeSummary(report: GenerateReport, s: Style): string[] {
  const { generated, configFile, written, created, unchanged, removed, released, recovered, secretsAdded } = report;
  const { stack, resolved } = generated;
  const lines = [`llm generate: ${configFile} (presets: ${resolved.presets.join(", ") || "none"})`];
  if (recovered !== "none")
    lines.push(`  finished an interrupted run first (${recovered === "rolled-forward" ? "its changes were completed" : "its changes were undone"})`);
  const rows = [
    ...written.map((file) => [created.includes(file) ? s.green("created") : s.yellow("updated"), file]),
    ...removed.map((file) => [s.red("removed"), file]),
    ...released.map((file) => [s.yellow("kept"), `${file} (edited by hand and no longer generated: no longer tracked, delete it yourself)`]),
    ...unchanged.map((file) => [s.dim("unchanged"), s.dim(file)]),
  ];
  lines.push(...table(rows, "  "));
  for (const moved of report.secretsMoved)
    lines.push(`  kept the secrets of ${moved.file}: ${moved.names.join(", ")} moved into ${stack.secretsFile} with their values unchanged`);
  if (secretsAdded.length > 0) lines.push(`  created secrets: ${secretsAdded.join(", ")} (in ${stack.secretsFile}, mode 0600, gitignored; back it up)`);
  for (const renewed of report.secretsRenewed) {
    lines.push(
      `  ${renewed.names.join(", ")}: listed in ${MANIFEST_FILE} but not in ${stack.secretsFile}, so new values were made: ${renewed.folder} holds no data they protect yet (a fresh clone or a new machine)`,
    );
  }
  if (report.secretsKept.length > 0) {
    lines.push(`  kept secrets: ${report.secretsKept.join(", ")} (--new-secret only creates a missing one; \`llm secrets rotate NAME\` replaces one)`);
  }
  for (const repair of report.folderModes) {
    const why = repair.to === 0o700 ? "only you may enter it" : "others may read, only you may write";
    lines.push(
      repair.failed
        ? `  ${s.yellow("warning")}: ${repair.folder}/ has mode ${octal(repair.from)} and could not be set to ${octal(repair.to)} (${repair.failed}): chmod ${octal(repair.to).slice(1)} ${repair.folder}`
        : `  ${s.yellow("fixed")} the mode of ${repair.folder}/: ${octal(repair.from)} → ${octal(repair.to)} (${why})`,
    );
  }
  if (written.length === 0 && removed.length === 0) lines.push("", "Nothing changed: the files already match the config.");
  return lines;
}

function composeSteps(report: GenerateReport, stack: Stack, s: Style): string[] {
  const { written, created } = report;
  const firstRun = created.includes("docker-compose.yml");
  const steps: string[][] = [];
  steps.push([
    "docker compose up -d",
    firstRun
      ? "start the stack (the first start downloads the images)"
      : written.length > 0
        ? "apply the changes (recreates the services that changed)"
        : "start the stack if it is not running",
  ]);
  const registration = stack.librechat.registration;
  const librechat = stack.librechat.services[0] ?? "librechat";
  steps.push([
    `open ${stack.librechat.url}`,
    registration
      ? "LibreChat: the first account you register becomes the admin"
      : `LibreChat (sign-ups are off: docker compose exec ${librechat} npm run create-user)`,
  ]);
  const lines = [s.bold(report.generated.stacks.length > 1 ? "Next steps (Compose):" : "Next steps:"), ...stepTable(steps, s)];
  if (stack.models.length > 0) lines.push(`  models pulled on first start: ${stack.models.join(", ")} (follow: docker compose logs -f ollama-pull)`);
  lines.push(...stack.moduleSteps.map((step) => `  ${step}`));
  if (stack.warnings.some((w) => (w.path === "bindAddress" || w.path === "librechat.domain") && w.message.includes("over plain HTTP")))
    lines.push("  plain HTTP reaches LibreChat from other machines: put TLS in front (the security module) before others sign in");
  lines.push("", s.bold("Check on it, stop it:"), ...stepTable(lifecycleSteps(librechat), s));
  return lines;
}

/** The commands a person needs once it runs: is it healthy, what does it say, how to stop it. */
function lifecycleSteps(librechat: string): string[][] {
  return [
    ["docker compose ps", "every service's state and health"],
    [`docker compose logs -f ${librechat}`, "follow one service's log (any of the names ps lists)"],
    ["docker compose down", "stop and remove the containers; data/ and the named volumes stay"],
  ];
}

function kubernetesSteps(report: GenerateReport, stack: Stack, s: Style): string[] {
  const namespace = stack.kubernetes?.namespace;
  // The security module's Ingress serves LibreChat; a domain alone does not route it.
  const routed = (stack.modules as { security?: { ingress?: unknown } }).security?.ingress !== undefined;
  const steps: string[][] = [
    ["kubectl apply -k .", `create or update the stack in namespace ${namespace} (README: Run it on Kubernetes, for what the cluster needs)`],
    routed
      ? [`open ${stack.librechat.url}`, "LibreChat, through the Ingress"]
      : [
          `kubectl -n ${namespace} port-forward svc/librechat ${report.generated.resolved.config.librechat.port}:3080`,
          `then open http://localhost:${report.generated.resolved.config.librechat.port} (nothing is routed from outside the cluster)`,
        ],
    ...(stack.librechat.registration
      ? []
      : [[`kubectl -n ${namespace} exec -it deploy/librechat -- npm run create-user`, "sign-ups are off: create the accounts"]]),
  ];
  const lines = [s.bold("Next steps (Kubernetes):"), ...stepTable(steps, s)];
  if (stack.librechat.registration) lines.push("  the first account you register in LibreChat becomes its admin");
  if (stack.models.length > 0)
    lines.push(`  models pulled by a Job: ${stack.models.join(", ")} (follow: kubectl -n ${namespace} logs -f -l app.kubernetes.io/name=ollama-pull)`);
  lines.push(...stack.moduleSteps.map((step) => `  ${step}`));
  return lines;
}
