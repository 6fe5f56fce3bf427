// Every `llm` command, in the order `llm --help` lists them. One line per command.
import type { Command } from "../command.js";
import { generate } from "./generate.js";
import { models } from "./models.js";
import { validate } from "./validate.js";

export const COMMANDS: readonly Command[] = [generate, validate, models];
