/**
 * Sort comparator for MAJOR.MINOR.PATCH version strings.
 * @param {string} a
 * @param {string} b
 * @returns {number} negative when a < b, 0 when equal, positive when a > b
 */
export function compareVersions(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The highest version of a non-empty list. */
export function latest(versions) {
  return [...versions].sort(compareVersions).at(-1);
}
