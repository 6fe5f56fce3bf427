// How deeply a config's source nests brackets, measured before it reaches oxc-transform: oxc's
// parser recurses on the native stack and takes the whole process down (SIGSEGV, no message) a
// few thousand levels deep, where no error can be caught. A config is a few levels deep.

export const MAX_SOURCE_NESTING = 500;

/** The line where `source` first nests `({[` deeper than `limit`, or undefined. Strings, template
 * literals and comments are skipped; regular expression literals are not told from division,
 * which can only miscount brackets inside a regex (hundreds of them would be needed to matter). */
export function deepNestingLine(source: string, limit = MAX_SOURCE_NESTING): number | undefined {
  let depth = 0;
  let line = 1;
  // Each open template literal remembers the bracket depth its `${` started at.
  const templates: number[] = [];
  let i = 0;
  const n = source.length;
  const skipQuoted = (quote: string) => {
    for (i++; i < n && source[i] !== quote; i++) {
      if (source[i] === "\\") i++;
      else if (source[i] === "\n") line++;
    }
  };
  /** Scans template text up to the closing backtick (returns true) or a `${` (false). */
  const scanTemplateText = (): boolean => {
    for (; i < n; i++) {
      const c = source[i];
      if (c === "\\") i++;
      else if (c === "\n") line++;
      else if (c === "`") return true;
      else if (c === "$" && source[i + 1] === "{") {
        i++;
        return false;
      }
    }
    return true;
  };
  for (; i < n; i++) {
    const c = source[i];
    if (c === "\n") line++;
    else if (c === '"' || c === "'") skipQuoted(c);
    else if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") i++;
      line++;
    } else if (c === "/" && source[i + 1] === "*") {
      for (i += 2; i < n && !(source[i] === "*" && source[i + 1] === "/"); i++) if (source[i] === "\n") line++;
      i++;
    } else if (c === "`") {
      i++;
      if (!scanTemplateText()) {
        templates.push(depth);
        if (++depth > limit) return line;
      }
    } else if (c === "(" || c === "[" || c === "{") {
      if (++depth > limit) return line;
    } else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (c === "}" && templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        i++;
        if (!scanTemplateText()) {
          templates.push(depth);
          depth++;
        }
      }
    }
  }
  return undefined;
}
