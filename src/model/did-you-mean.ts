/** Suggestions for misspelt names, so a message can say what was probably meant. */

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one
 * edit (optimal string alignment): `tabel` is one edit from `table`, as a person would count.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (rows[i - 1]![j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (rows[i - 1]![j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]![j - 2] ?? 0) + 1);
      }
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length] ?? 0;
}

/** Shortest name for which "one is the start of the other" counts as a likely mistake. */
const MIN_PREFIX = 4;

/**
 * The closest candidate, when it is close enough to be a likely typo: within a third of the
 * name's length (2 to 4 edits), or a truncation such as `percent` for `percentage`. Unrelated
 * names are never suggested.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const budget = Math.min(4, Math.max(2, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const truncated =
      Math.min(wanted.length, other.length) >= MIN_PREFIX &&
      (other.startsWith(wanted) || wanted.startsWith(other));
    const distance = truncated
      ? 1
      : Math.abs(other.length - wanted.length) > budget
        ? budget + 1
        : levenshtein(wanted, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A one-letter name is "two edits" from every other short name; that is no suggestion.
  const plausible = bestDistance <= budget && bestDistance < wanted.length;
  return plausible && best !== name ? best : undefined;
}

/** ` Did you mean \`x\`?` or an empty string, ready to append to a message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closest(name, candidates);
  return suggestion === undefined ? '' : ` Did you mean \`${suggestion}\`?`;
}
