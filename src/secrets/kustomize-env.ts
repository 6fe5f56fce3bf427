// The Kubernetes target's Secret is made by kustomize's secretGenerator from secrets.env, and
// kustomize reads an env file more literally than Compose: it drops leading blanks and comment
// lines, splits at the first `=`, and keeps the rest as it stands (quotes, trailing blanks, a
// `# comment`); `export ` stays in the key (which the API server then refuses), and a line without
// `=` becomes an empty value (kubectl 1.32's kustomize v5.5, test/kubernetes.test.ts). A line the
// two read differently is refused, by key and line number, never by value.
import { LlmError, type Diagnostic, type Result, fail, ok } from "../errors.js";
import { SECRETS_FILE } from "../layout.js";
import { parseSecrets } from "./store.js";

const KUSTOMIZE_KEY = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

interface Difference {
  line: number;
  key: string;
  reason: string;
}

/** The lines of `text` kustomize reads otherwise than Compose does. */
export function kustomizeDifferences(text: string): Difference[] {
  const compose = new Map([...parseSecrets(text)].map(([key, entry]) => [entry.line, { key, value: entry.value }]));
  const out: Difference[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    // A file saved with Windows line endings: kustomize drops the \r, as Compose does.
    const trimmed = raw.replace(/\r$/, "").replace(/^\s+/, "");
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const equals = trimmed.indexOf("=");
    const key = equals < 0 ? trimmed : trimmed.slice(0, equals);
    const shown = key.trim().split(/\s+/).pop() ?? key;
    const read = compose.get(line);
    if (equals < 0) out.push({ line, key: shown, reason: "has no `=`: kustomize would make it an empty value" });
    else if (!KUSTOMIZE_KEY.test(key))
      out.push({
        line,
        key: shown,
        reason: `is not a plain name for kustomize (${/^export\s/.test(key) ? "`export ` would stay part of it" : "blanks or other characters around it"}), which Kubernetes refuses as a Secret key`,
      });
    else if (read === undefined || read.key !== key) out.push({ line, key: shown, reason: "is not read as a variable by Compose" });
    else if (read.value !== trimmed.slice(equals + 1))
      out.push({ line, key, reason: "has quotes, blanks or a comment around its value, which kustomize would keep as part of it" });
  });
  return out;
}

/** Refuses a secrets.env that kustomize and Compose would read differently. */
export function checkKustomizable(text: string): Result<void> {
  const differences = kustomizeDifferences(text);
  if (differences.length === 0) return ok(undefined);
  const diagnostics: Diagnostic[] = differences.map((d) => ({ file: SECRETS_FILE, path: `${d.key} (line ${d.line})`, message: `${d.key} ${d.reason}` }));
  return fail(
    new LlmError(
      "SECRETS_INVALID",
      `${SECRETS_FILE} has ${differences.length} line${differences.length === 1 ? "" : "s"} kustomize would read otherwise than Compose`,
      {
        diagnostics,
        hint: `write each as NAME=value, with nothing around the value (no quotes, no trailing blanks or comment), or manage the Secret yourself (kubernetes.secrets.existingSecret)`,
      },
    ),
  );
}
