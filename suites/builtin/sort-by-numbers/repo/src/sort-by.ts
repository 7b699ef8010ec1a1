/** A new array with `items` sorted ascending by `item[key]` (numbers or strings); the input is not changed. */
export function sortBy<T, K extends keyof T>(items: T[], key: K): T[] {
  return items.sort((a, b) => {
    const x = String(a[key]);
    const y = String(b[key]);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
