// `llm secrets rotat JWT_SECRET` is a typo of the action; `llm secrets JWT_SECRET` is a name given
// without one. The first suggests the action, with the name; the second the action that takes it.
import { LlmError } from "../errors.js";
import { didYouMean } from "../util/did-you-mean.js";

interface Actions {
  command: string;
  /** The action that lists (no name) and the one that takes a name, e.g. "list" and "rotate". */
  list: string;
  named: string;
  /** What the named action does, for the hint: "to rotate a secret". */
  purpose: string;
  /** What to call the name when none was given: "NAME". */
  placeholder: string;
}

export function unknownAction(action: string, name: unknown, actions: Actions): LlmError {
  const { command, list, named, purpose, placeholder } = actions;
  const suggestion = didYouMean(action, [list, named]);
  const message = `unknown action ${JSON.stringify(action)}: expected ${list} or ${named}${suggestion ? `; did you mean "${suggestion}"?` : ""}`;
  if (suggestion === list) return new LlmError("USAGE", message, { hint: `llm ${command} ${list} (or just llm ${command})` });
  const subject = suggestion === named ? (name === undefined ? placeholder : String(name)) : action;
  return new LlmError("USAGE", message, { hint: `${purpose}: llm ${command} ${named} ${subject}` });
}
