// The template engine: an isolated Handlebars runtime holding precompiled templates and
// formatting helpers only. Templates are parsed at build time, so none can fail here to parse.
import HandlebarsRuntime from "handlebars/runtime.js";
import type HandlebarsFull from "handlebars";

// Only the runtime (no template parser) is loaded; its API is the full package's minus compile.
const Handlebars = HandlebarsRuntime as unknown as typeof HandlebarsFull;
import { templateSpecs } from "../generated/templates.js";
import { comment, envValue, toYaml, yamlScalar } from "./format.js";

type Template = (view: unknown) => string;

let engine: { templates: Map<string, Template> } | undefined;

function create() {
  const hb = Handlebars.create();
  hb.registerHelper("yaml", (value: unknown, options: { hash: { indent?: number } }) => toYaml(value, options.hash.indent ?? 0));
  hb.registerHelper("yamlScalar", (value: unknown) => yamlScalar(value));
  hb.registerHelper("envValue", (value: unknown) => envValue(String(value)));
  hb.registerHelper("comment", (value: unknown) => comment(String(value)));
  hb.registerHelper("json", (value: unknown) => JSON.stringify(value, null, 2));
  const templates = new Map<string, Template>();
  for (const [name, spec] of Object.entries(templateSpecs)) {
    templates.set(name, hb.template(spec as never) as unknown as Template);
  }
  return { templates };
}

export function renderTemplate(name: string, view: unknown): string {
  engine ??= create();
  const template = engine.templates.get(name);
  if (!template) throw new Error(`no template named ${name}`);
  return template(view);
}

/** The syntax a rendered file is in: how outputs/check.ts reads it back before it is written. */
export type OutputSyntax = "yaml" | "json" | "env" | "text";
