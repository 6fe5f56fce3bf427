// `llm secrets rotat JWT_SECRET` is a typo of the action; `llm secrets JWT_SECRET` is a name given
// without one. The first suggests the action, with the name; the second the action that takes it.
import { LlmError } from "../errors.js";
import { didYouMean } from "../util/did-you-mean.js";

interface Actions {
  command: string;
  /** The action that lists (no name), e.g. "list". */
  list: string;
  /** The actions that take a name, the first the one a bare name means ("rotate"), each with what
   * it does for the hint ("to rotate a secret"). */
  named: readonly { action: string; purpose: string }[];
  /** What to call the name when none was given: "NAME". */
  placeholder: string;
}

/** An argument as it may be shown: an action's word or a variable's name, else (a key pasted where
 * a name goes, `llm secrets sk-...`) not at all. */
export function shownArgument(text: string, placeholder?: string): string {
  // Provider keys are long and mix cases; a preset's or an action's name is a short lowercase
  // word, a variable's name capitals and _.
  const plain = (text.length <= 24 && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(text)) || (text.length <= 64 && /^[A-Z_][A-Z0-9_]*$/.test(text));
  if (plain) return placeholder === undefined ? JSON.stringify(text) : text;
  return placeholder ?? "(not shown: it may be a secret)";
}

export function unknownAction(action: string, name: unknown, actions: Actions): LlmError {
  const { command, list, named, placeholder } = actions;
  const names = named.map((entry) => entry.action);
  const suggestion = didYouMean(action, [list, ...names]);
  const expected = [list, ...names];
  const message = `unknown action ${shownArgument(action)}: expected ${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}${suggestion ? `; did you mean "${suggestion}"?` : ""}`;
  if (suggestion === list) return new LlmError("USAGE", message, { hint: `llm ${command} ${list} (or just llm ${command})` });
  const chosen = named.find((entry) => entry.action === suggestion);
  const subject = shownArgument(chosen ? (name === undefined ? placeholder : String(name)) : action, placeholder);
  const { action: verb, purpose } = chosen ?? named[0]!;
  return new LlmError("USAGE", message, { hint: `${purpose}: llm ${command} ${verb} ${subject}` });
}
