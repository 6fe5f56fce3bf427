// The keys a user's endpoints name as ${NAME} and whether secrets.env gives them a value. LibreChat
// leaves an unset reference as its text (`process.env[name] || text`, so an empty value counts as
// unset) and Compose hands an unset one over as nothing: the endpoint fails at its first request.
import { SECRETS_FILE } from "../layout.js";
import type { EnvReference, Notice, Stack } from "../stack/types.js";
import { parseSecrets } from "./store.js";

/** The references the committed .env does not define (librechat.env), which only secrets.env can. */
function userReferences(stack: Stack): EnvReference[] {
  const committed = new Set(stack.appEnv.map((entry) => entry.key));
  return stack.librechat.references.filter((reference) => !committed.has(reference.name));
}

/** The names among `userReferences` that secrets.env leaves unset or empty. */
export function unsetReferenceNames(stack: Stack, secretsText: string | null): Set<string> {
  const present = parseSecrets(secretsText ?? "");
  return new Set(
    userReferences(stack)
      .filter((reference) => !present.get(reference.name)?.value)
      .map((reference) => reference.name),
  );
}

/** What LibreChat does with the reference left as text (packages/api/src/endpoints/custom/initialize.ts). */
const FAILURE: Record<EnvReference["field"], string> = { apiKey: "Missing API Key for", baseURL: "Missing Base URL for" };

/** A warning per reference whose variable secrets.env does not set: the path, the name and the line to add. */
export function unsetReferences(stack: Stack, secretsText: string | null): Notice[] {
  const unset = unsetReferenceNames(stack, secretsText);
  return userReferences(stack)
    .filter((reference) => unset.has(reference.name))
    .map((reference) => ({
      path: reference.path,
      message: `\${${reference.name}} is not set in ${SECRETS_FILE}: ${
        reference.whole
          ? `LibreChat answers the first request to ${reference.endpoint} with "${FAILURE[reference.field]} ${reference.endpoint}."`
          : `LibreChat sends ${reference.endpoint}'s requests to an address with "\${${reference.name}}" still in it`
      }`,
      hint: `add the line ${reference.name}=<value> to ${SECRETS_FILE}, or run \`llm secrets set ${reference.name}\` (it asks without echoing, or reads stdin)`,
    }));
}
