/**
 * The value kept under the key, made the first time it is asked for: a precompiled query per entity or per shape of
 * what it must build, a route's compiled validator or serializer per schema.
 */
export function madeOnce<K, V>(made: Map<K, V>, key: K, make: () => V): V {
  let value = made.get(key);
  if (value === undefined) made.set(key, (value = make()));
  return value;
}
