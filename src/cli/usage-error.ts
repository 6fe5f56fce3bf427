// A mistyped command or option gets one short line with a suggestion, not the whole help.
import { LlmError } from "../errors.js";
import { didYouMean } from "../util/did-you-mean.js";

const GLOBAL_OPTIONS = ["config", "cwd", "set", "json", "quiet", "color", "help", "version"];

const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

export function usageError(message: string, argv: readonly string[], known: Map<string, string[]>, commands: readonly string[]): LlmError {
  const command = argv.find((token) => commands.includes(token) || known.has(token));
  const help = command ? `run \`llm ${command} --help\` to see its options and examples` : "run `llm --help` to list the commands";
  const invalid = /Argument: (\S+), Given: "([^"]*)", Choices: (.+)$/.exec(message);
  if (invalid) {
    const [, option = "", given = "", list = ""] = invalid;
    const choices = list.split(", ").map((c) => c.replace(/^"|"$/g, ""));
    const suggestion = didYouMean(given, choices);
    // A positional (`llm models frob`) is named as such, an option by its flag.
    const isOption = argv.some((token) => token === flag(option) || token.startsWith(`${flag(option)}=`));
    return new LlmError(
      "USAGE",
      `invalid ${isOption ? `value ${JSON.stringify(given)} for ${flag(option)}` : `${option} ${JSON.stringify(given)}`}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""} (choose from: ${choices.join(", ")})`,
      { hint: help },
    );
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown)
    return new LlmError(
      "USAGE",
      message.replace(/^./, (c) => c.toLowerCase()),
      { hint: help },
    );

  const names = (unknown[1] ?? "").split(", ");
  const first = names[0] ?? "";
  const asOption = argv.some((token) => token === flag(first) || token.startsWith(`${flag(first)}=`) || token === `--no-${first}`);
  if (!asOption) {
    // A value after `secrets set NAME` is a secret typed into argv: not echoed back.
    if (command === "secrets" && argv.includes("set"))
      return new LlmError(
        "USAGE",
        "llm secrets set takes the value from stdin or a prompt, never as an argument (it would stay in the shell's history and show in ps); nothing was written",
        { hint: 'llm secrets set NAME, then type the value; or: printf %s "$VALUE" | llm secrets set NAME' },
      );
    if (command) return new LlmError("USAGE", `unexpected argument ${JSON.stringify(first)} for \`llm ${command}\``, { hint: help });
    const suggestion = didYouMean(first, commands);
    return new LlmError("USAGE", `unknown command ${JSON.stringify(first)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`, {
      hint: help,
    });
  }
  const options = [...new Set([...GLOBAL_OPTIONS, ...((command && known.get(command)) ?? [])])].filter((name) => name.length > 1 && !/[A-Z]/.test(name));
  const suggestion = didYouMean(first, options);
  const more =
    names.length > 1
      ? ` (and ${names
          .slice(1)
          .map((n) => flag(n))
          .join(", ")})`
      : "";
  return new LlmError("USAGE", `unknown option ${flag(first)}${more}${suggestion ? `; did you mean --${suggestion}?` : ""}`, { hint: help });
}
