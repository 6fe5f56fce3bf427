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

export function unknownAction(action: string, name: unknown, actions: Actions): LlmError {
  const { command, list, named, placeholder } = actions;
  const names = named.map((entry) => entry.action);
  const suggestion = didYouMean(action, [list, ...names]);
  const expected = [list, ...names];
  const message = `unknown action ${JSON.stringify(action)}: expected ${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}${suggestion ? `; did you mean "${suggestion}"?` : ""}`;
  if (suggestion === list) return new LlmError("USAGE", message, { hint: `llm ${command} ${list} (or just llm ${command})` });
  const chosen = named.find((entry) => entry.action === suggestion);
  const subject = chosen ? (name === undefined ? placeholder : String(name)) : action;
  const { action: verb, purpose } = chosen ?? named[0]!;
  return new LlmError("USAGE", message, { hint: `${purpose}: llm ${command} ${verb} ${subject}` });
}
