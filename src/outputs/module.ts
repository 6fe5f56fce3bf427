import { InternalError } from "../errors.js";
import type { Modules, Stack } from "../stack/types.js";

/** The module an output belongs to; its `applies` guarantees it is switched on. */
export function moduleOf<K extends keyof Modules>(stack: Stack, name: K): NonNullable<Modules[K]> {
  const module = stack.modules[name];
  if (!module) throw new InternalError(`the ${name} module is off`);
  return module as NonNullable<Modules[K]>;
}
