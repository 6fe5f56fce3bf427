// Every `llm` command, in the order `llm --help` lists them. One line per command.
import type { Command } from "../command.js";
import { backup, restore } from "./backup.js";
import { completion } from "./completion.js";
import { diff } from "./diff.js";
import { doctor } from "./doctor.js";
import { explain } from "./explain.js";
import { generate } from "./generate.js";
import { init } from "./init.js";
import { models } from "./models.js";
import { outdated } from "./outdated.js";
import { presets } from "./presets.js";
import { secrets } from "./secrets.js";
import { upgrade } from "./upgrade.js";
import { validate } from "./validate.js";

export const COMMANDS: readonly Command[] = [
  init,
  generate,
  diff,
  validate,
  explain,
  presets,
  doctor,
  secrets,
  models,
  outdated,
  upgrade,
  backup,
  restore,
  completion,
];
