// A config flattened to its leaves (scalars, lists, empty maps), in the schema's key order, so
// `llm explain` and `llm presets show` list values the way the schema documents them.
import schema from "../../schemas/llm.config.schema.json" with { type: "json" };
import { appendPath } from "../util/json-path.js";

type SchemaNode = { properties?: Record<string, SchemaNode>; $ref?: string };

export interface Leaf {
  path: string;
  value: unknown;
}

const definitions = (schema as { definitions?: Record<string, SchemaNode> }).definitions ?? {};

function follow(node: SchemaNode | undefined): SchemaNode | undefined {
  const ref = node?.$ref;
  return ref ? definitions[ref.replace("#/definitions/", "")] : node;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function leaves(value: Record<string, unknown>): Leaf[] {
  const out: Leaf[] = [];
  const walk = (current: Record<string, unknown>, node: SchemaNode | undefined, path: string) => {
    const order = Object.keys(node?.properties ?? {});
    const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
    const keys = Object.keys(current).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) {
      const child = current[key];
      const childPath = appendPath(path, key);
      if (isMap(child) && Object.keys(child).length > 0) walk(child, follow(node?.properties?.[key]), childPath);
      else out.push({ path: childPath, value: child });
    }
  };
  walk(value, schema as SchemaNode, "");
  return out;
}
