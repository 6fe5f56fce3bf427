// `llm completion`: a bash or zsh script that completes `llm …` and `npx llm …`. yargs' own
// script calls `llm` from PATH, which the documented install (`npm i -D`, then `npx llm`) never
// puts there, and completes only a command typed as `llm`. This one asks the llm of the project
// the shell is in (node_modules/.bin/llm in this folder or above, as npx finds it), else the one
// on PATH; completions themselves still come from yargs (`--get-yargs-completions`).
import type { Command } from "../command.js";
import { EXIT } from "../io.js";

const SHELLS = ["bash", "zsh"] as const;
type Shell = (typeof SHELLS)[number];

const FIND_BIN = `# The llm of the project you are in (as npx finds it), else the one on PATH.
_llm_bin() {
  local dir=$PWD
  while [ -n "$dir" ]; do
    if [ -x "$dir/node_modules/.bin/llm" ]; then printf '%s\\n' "$dir/node_modules/.bin/llm"; return 0; fi
    dir=\${dir%/*}
  done
  command -v llm
}`;

const BASH = `###-begin-llm-completions-###
# Tab completion for llm (local-llm-stack), typed as \`llm\` or \`npx llm\`.
# Enable it: npx llm completion >> ~/.bashrc, then open a new shell.
${FIND_BIN}
_llm_complete_words() {
  local bin type_list
  bin=$(_llm_bin) || return 0
  mapfile -t type_list < <("$bin" --get-yargs-completions "$@" 2>/dev/null)
  mapfile -t COMPREPLY < <(compgen -W "$(printf '%q ' "\${type_list[@]}")" -- "\${COMP_WORDS[COMP_CWORD]}")
}
_llm_completions() { _llm_complete_words "\${COMP_WORDS[@]}"; }
# npx: only \`npx llm …\`; anything else keeps the shell's default completion.
_llm_npx_completions() {
  COMPREPLY=()
  if [ "$COMP_CWORD" -ge 2 ] && [ "\${COMP_WORDS[1]}" = llm ]; then _llm_complete_words "\${COMP_WORDS[@]:1}"; fi
}
complete -o bashdefault -o default -F _llm_completions llm
complete -o bashdefault -o default -F _llm_npx_completions npx
###-end-llm-completions-###
`;

const ZSH = `###-begin-llm-completions-###
# Tab completion for llm (local-llm-stack), typed as \`llm\` or \`npx llm\`.
# Enable it: npx llm completion --shell zsh >> ~/.zshrc (after compinit), then open a new shell.
${FIND_BIN}
_llm_yargs_completions() {
  local bin si=$IFS
  local -a reply args
  args=("\${words[@]}")
  if [[ \${words[1]} == npx ]]; then
    if [[ \${words[2]} != llm || $CURRENT -lt 3 ]]; then _default; return; fi
    args=("\${words[@]:1}")
  fi
  bin=$(_llm_bin) || { _default; return; }
  IFS=$'\\n' reply=($("$bin" --get-yargs-completions "\${args[@]}" 2>/dev/null))
  IFS=$si
  if (( \${#reply} > 0 )); then _describe 'values' reply; else _default; fi
}
compdef _llm_yargs_completions llm npx
###-end-llm-completions-###
`;

/** zsh when $SHELL says so, else bash. */
function defaultShell(env: Record<string, string | undefined>): Shell {
  return /(^|\/)zsh$/.test(env["SHELL"] ?? "") ? "zsh" : "bash";
}

export const completion: Command = {
  command: "completion",
  describe: "Print a bash or zsh completion script for `llm` and `npx llm`: npx llm completion >> ~/.bashrc",
  options: {
    shell: { type: "string", choices: SHELLS, describe: "The shell to complete in (default: zsh when $SHELL is zsh, else bash)" },
  },
  builder: (y) =>
    y
      .example("llm completion >> ~/.bashrc", "complete `llm` and `npx llm` in bash (open a new shell)")
      .example("llm completion --shell zsh >> ~/.zshrc", "the same for zsh"),
  run(args, { io }) {
    const shell = (args["shell"] as Shell | undefined) ?? defaultShell(io.env);
    io.stdout(shell === "zsh" ? ZSH : BASH);
    return Promise.resolve(EXIT.OK);
  },
};
