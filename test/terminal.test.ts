// A real terminal session: tmux runs the built CLI in a pseudo-terminal, and capture-pane -e
// shows the escape codes a person's terminal would receive. Colors at a TTY; none when piped,
// with NO_COLOR or with --no-color.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CLI } from "./helpers/paths.js";
import { removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("terminal: colors on a TTY, none when piped (tmux)");

const SOCKET = `llm-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8", timeout: 20_000, env: terminalEnv() });

function terminalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm-256color" };
  delete env["NO_COLOR"];
  delete env["FORCE_COLOR"];
  return env;
}

const SCENES = {
  tty: `node ${CLI} presets`,
  piped: `node ${CLI} presets | cat`,
  noColorEnv: `NO_COLOR=1 node ${CLI} presets`,
  noColorFlag: `node ${CLI} presets --no-color`,
  error: `node ${CLI} gnerate`,
};

/** Runs every scene in one tmux pane, separated by markers; returns each scene's screen text. */
function session(): Record<keyof typeof SCENES, string> {
  const script = [
    ...Object.entries(SCENES).map(([name, command]) => `echo "@@${name}"; ${command}`),
    "echo @@end",
    `tmux -L ${SOCKET} wait-for -S llm-done`,
    "sleep 60",
  ].join("; ");
  const started = tmux("new-session", "-d", "-x", "200", "-y", "100", "-s", "llm", script);
  assert.is(started.status, 0, `tmux could not start: ${started.stderr}`);
  try {
    const waited = tmux("wait-for", "llm-done");
    assert.is(waited.status, 0, "the CLI runs finished");
    const screen = tmux("capture-pane", "-p", "-e", "-J", "-S", "0", "-E", "99", "-t", "llm").stdout;
    const out: Record<string, string> = {};
    const parts = screen.split(/^(?:\u001b\[[0-9;]*m)*@@(\w+)(?:\u001b\[[0-9;]*m)*$/m);
    for (let i = 1; i < parts.length; i += 2) out[parts[i] as string] = parts[i + 1] ?? "";
    return out as Record<keyof typeof SCENES, string>;
  } finally {
    tmux("kill-server");
  }
}

const ESC = "\u001b[";
const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

test("colors at a terminal, plain text when piped or turned off, same words either way", () => {
  const screens = session();
  assert.ok(screens.tty.includes(`${ESC}36mamd${ESC}39m`), `cyan preset names at a TTY:\n${JSON.stringify(screens.tty)}`);
  for (const plain of ["piped", "noColorEnv", "noColorFlag"] as const) {
    assert.not.ok(screens[plain].includes(ESC), `${plain} has no escape codes:\n${JSON.stringify(screens[plain])}`);
    assert.is(screens[plain].trim(), strip(screens.tty).trim(), `${plain} shows the same words`);
  }
  assert.match(screens.error, `${ESC}1m${ESC}31merror USAGE`);
  assert.match(strip(screens.error), 'error USAGE: unknown command "gnerate"; did you mean "generate"?');
});

test("a person answers the CREDS_KEY rotation prompt at the terminal", async () => {
  const dir = tempDir();
  try {
    for (const argv of [
      ["init", "--preset", "cpu"],
      ["generate", "--quiet"],
    ]) {
      assert.is(spawnSync(process.execPath, [CLI, ...argv], { cwd: dir }).status, 0);
    }
    const before = readFileSync(path.join(dir, "secrets.env"), "utf8");
    const started = tmux(
      "new-session",
      "-d",
      "-x",
      "200",
      "-y",
      "20",
      "-s",
      "ask",
      `cd ${dir} && node ${CLI} secrets rotate CREDS_KEY; tmux -L ${SOCKET} wait-for -S asked; sleep 60`,
    );
    assert.is(started.status, 0, started.stderr);
    try {
      const screen = () => tmux("capture-pane", "-p", "-t", "ask").stdout;
      const deadline = Date.now() + 15_000;
      while (!screen().includes("Rotate CREDS_KEY? [y/N]") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(screen(), "WARNING: rotating CREDS_KEY");
      tmux("send-keys", "-t", "ask", "y", "Enter");
      assert.is(tmux("wait-for", "asked").status, 0);
      assert.match(screen(), "Rotated CREDS_KEY in secrets.env (and secrets/librechat.env).");
    } finally {
      tmux("kill-server");
    }
    const after = readFileSync(path.join(dir, "secrets.env"), "utf8");
    assert.is.not(after, before);
    assert.is(after.replace(/^CREDS_KEY=.*$/m, ""), before.replace(/^CREDS_KEY=.*$/m, ""));
  } finally {
    removeDir(dir);
  }
});

test.run();
