// `llm --help` and `llm <command> --help` answered from text yargs rendered at build time
// (dist/help.json), so asking for help does not load yargs and the whole CLI (~100 ms here).
// Anything else, or a missing file (running from src/), goes through yargs as usual.
import { readFileSync } from "node:fs";

const HELP_FLAGS = new Set(["--help", "-h"]);

/** The key of a help request in help.json: "" for `llm --help`, the command's name for its own. */
export function helpKey(argv: readonly string[]): string | undefined {
  if (argv.length === 1 && (HELP_FLAGS.has(argv[0]!) || argv[0] === "help")) return "";
  // `llm help generate` is `llm generate --help`.
  if (argv.length === 2 && argv[0] === "help" && /^[a-z]+$/.test(argv[1]!)) return argv[1];
  if (argv.length === 2 && HELP_FLAGS.has(argv[1]!) && /^[a-z]+$/.test(argv[0]!)) return argv[0];
  return undefined;
}

export function prerenderedHelp(argv: readonly string[], env: Record<string, string | undefined>, file: string | URL): string | undefined {
  const key = helpKey(argv);
  if (key === undefined || env["LLM_NO_FAST_HELP"]) return undefined;
  try {
    const texts = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    return Object.hasOwn(texts, key) ? texts[key] : undefined;
  } catch {
    return undefined;
  }
}
