/**
 * Remembering what is costly to compute for the life of the process (compiled patterns and schemas,
 * keyed by their text), so a repository with many targets compiles each distinct text once.
 */
export function memoized<V>(make: (key: string) => V): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    if (known.has(key)) return known.get(key) as V;
    const value = make(key);
    known.set(key, value);
    return value;
  };
}
