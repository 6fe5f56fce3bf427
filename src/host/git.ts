// Whether git would ignore files `generate` writes for committing: the one question llm asks git.
// node:child_process is loaded when git is asked, not with the bundle: it loads Node's stream,
// net and dgram modules too, which every generate would pay for (ARCHITECTURE.md, "Where the time goes").

export interface IgnoredFile {
  /** Relative to the folder asked about. */
  path: string;
  /** The rule git applies last (git's words: the file, relative to the repository's root, its line and pattern). */
  source: string;
  line: number;
  pattern: string;
}

/** Of `paths` (relative to `dir`), those git ignores, each with the rule that does. Files git
 * tracks are never ignored, so this names only files a `git add` would skip. Empty outside a
 * repository or without git. */
export function ignoredByGit(dir: string, paths: readonly string[]): IgnoredFile[] {
  if (paths.length === 0) return [];
  // -v names the last matching rule, a negated one (`!/.env`) included: that file is not ignored.
  // -z (NUL-separated fields, any file name) works only with the paths on stdin.
  const run = process.getBuiltinModule("node:child_process").spawnSync("git", ["-C", dir, "check-ignore", "-v", "-z", "--stdin"], {
    input: paths.map((file) => `${file}\0`).join(""),
    encoding: "utf8",
    stdio: ["pipe", "pipe", "ignore"],
    timeout: 10_000,
  });
  if (run.status !== 0 || typeof run.stdout !== "string") return [];
  const fields = run.stdout.split("\0");
  const out: IgnoredFile[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [source = "", line = "", pattern = "", file = ""] = fields.slice(i, i + 4);
    if (!pattern.startsWith("!")) out.push({ path: file, source, line: Number(line), pattern });
  }
  return out;
}
