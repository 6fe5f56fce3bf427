// LibreChat's .env as LibreChat reads it: its compose file mounts the file at /app/.env, where the
// server loads it with the dotenv package (16.4.7 at v0.8.7), whose rules differ from Compose's:
// `#` starts a comment anywhere in an unquoted value, backquotes quote, `KEY: value` is allowed,
// and only double quotes expand `\n`. A value adopted into secrets.env must be the value LibreChat
// used, so it is read with dotenv's own expression (motdotla/dotenv v16.4.7 lib/main.js:9-48).

export interface LibreChatEnvEntry {
  key: string;
  value: string;
}

const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** Every assignment in file order (a later one of a name wins, as dotenv's object does). */
export function parseLibreChatEnv(text: string): LibreChatEnvEntry[] {
  const lines = text.replace(/\r\n?/gm, "\n");
  const out: LibreChatEnvEntry[] = [];
  LINE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = LINE.exec(lines)) !== null) {
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
    if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    out.push({ key: match[1] ?? "", value });
  }
  return out;
}
