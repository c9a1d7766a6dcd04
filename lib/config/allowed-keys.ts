import type { z } from 'zod';

type AnySchema = z.core.$ZodType;

/**
 * The keys an object schema accepts at a path, for "unknown key" messages.
 * Wrappers (default, optional, pipes) are looked through; the branches of a union are merged.
 *
 * @returns the sorted keys, or undefined when the path does not lead to an object schema
 */
export function allowedKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] | undefined {
  const keys = new Set<string>();
  for (const target of schemasAt(schema, path)) {
    const def = target._zod.def as { type: string; shape?: Record<string, AnySchema> };
    if (def.type === 'object' && def.shape) Object.keys(def.shape).forEach((key) => keys.add(key));
  }
  return keys.size > 0 ? [...keys].sort() : undefined;
}

function schemasAt(schema: AnySchema, path: readonly PropertyKey[]): AnySchema[] {
  const candidates = unwrap(schema);
  if (path.length === 0) return candidates;
  const [head, ...rest] = path;
  return candidates.flatMap((candidate) => {
    const def = candidate._zod.def as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema };
    if (def.type === 'object' && typeof head === 'string' && def.shape?.[head]) return schemasAt(def.shape[head], rest);
    if (def.type === 'array' && typeof head === 'number' && def.element) return schemasAt(def.element, rest);
    return [];
  });
}

function unwrap(schema: AnySchema): AnySchema[] {
  const def = schema._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema; options?: AnySchema[] };
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
  return [schema];
}
