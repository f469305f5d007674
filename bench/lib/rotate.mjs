/**
 * The items starting at position `round`, wrapping around: interleaved
 * rounds that do not always run the same variant first or last.
 */
export function rotate(items, round) {
  const start = round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
