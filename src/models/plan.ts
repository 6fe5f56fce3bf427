// Pure decisions for `llm models`: which declared models are present or missing, which installed
// ones nobody declared, and what `rm` may remove. No network, no printing.
import { LlmError, type Result, fail, ok } from "../errors.js";
import type { InstalledModel } from "./types.js";
import { canonicalModelName, findModel } from "./names.js";
import type { DeclaredModels } from "./target.js";

export interface ModelsState {
  /** Installed models, sorted by name, each marked declared or not. */
  installed: (InstalledModel & { declared: boolean })[];
  /** Declared models Ollama has, in the config's order. */
  present: string[];
  /** Declared models Ollama lacks, in the config's order: what `sync` pulls. */
  missing: string[];
  /** Installed models the config does not declare: what `sync --prune` removes. */
  undeclared: InstalledModel[];
}

export function compareModels(declared: readonly string[], installed: readonly InstalledModel[]): ModelsState {
  // Sets, not a search per name: Ollama can hold hundreds of thousands of models.
  const declaredKeys = new Set(declared.map(canonicalModelName));
  const installedKeys = new Set(installed.map((model) => canonicalModelName(model.name)));
  const sorted = [...installed].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const marked = sorted.map((model) => ({ ...model, declared: declaredKeys.has(canonicalModelName(model.name)) }));
  return {
    installed: marked,
    present: declared.filter((name) => installedKeys.has(canonicalModelName(name))),
    missing: declared.filter((name) => !installedKeys.has(canonicalModelName(name))),
    undeclared: marked.filter((model) => !model.declared).map(({ declared: _declared, ...model }) => model),
  };
}

export interface Removal {
  /** The installed models to delete, under Ollama's names. */
  targets: InstalledModel[];
  /** Those of them the config still declares (only with --force). */
  stillDeclared: string[];
}

/**
 * Checks every name before anything is deleted: each must be installed, and a declared one needs
 * --force, because the stack's `ollama-pull` service (and `llm models sync`) would pull it again.
 */
export function planRemoval(names: readonly string[], installed: readonly InstalledModel[], declared: DeclaredModels, force: boolean): Result<Removal> {
  const unknown = names.filter(
    (name) =>
      findModel(
        installed.map((m) => m.name),
        name,
      ) === undefined,
  );
  if (unknown.length > 0) {
    return fail(
      new LlmError("MODEL_NOT_FOUND", `Ollama has no model named ${unknown.join(", ")}; nothing was removed`, {
        hint: "`llm models list` shows the installed models and their exact names",
      }),
    );
  }
  const targets = dedupe(names.map((name) => installed.find((m) => canonicalModelName(m.name) === canonicalModelName(name)) as InstalledModel));
  const stillDeclared = targets.filter((m) => findModel(declared.models, m.name) !== undefined).map((m) => m.name);
  if (stillDeclared.length > 0 && !force) {
    return fail(
      new LlmError(
        "MODEL_DECLARED",
        `${stillDeclared.join(", ")} ${stillDeclared.length === 1 ? "is" : "are"} declared in ${declared.file} (models); nothing was removed`,
        {
          hint: `remove ${stillDeclared.length === 1 ? "it" : "them"} from models in ${declared.file} too (or the stack pulls ${stillDeclared.length === 1 ? "it" : "them"} again on the next start), then run the command again; --force removes ${stillDeclared.length === 1 ? "it" : "them"} anyway`,
        },
      ),
    );
  }
  return ok({ targets, stillDeclared });
}

function dedupe(models: InstalledModel[]): InstalledModel[] {
  return models.filter((model, index) => models.findIndex((other) => other.name === model.name) === index);
}
