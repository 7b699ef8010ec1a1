/**
 * Returns one page of `items`.
 * @param {unknown[]} items
 * @param {number} page 1-based page number
 * @param {number} pageSize items per page (> 0)
 * @returns {{ items: unknown[], page: number, totalPages: number, hasNext: boolean }}
 */
export function paginate(items, page, pageSize) {
  if (!(pageSize > 0)) throw new RangeError('pageSize must be positive');
  const totalPages = Math.ceil(items.length / pageSize);
  const start = page * pageSize;
  const slice = page < 1 ? [] : items.slice(start, start + pageSize);
  return { items: slice, page, totalPages, hasNext: page < totalPages };
}
