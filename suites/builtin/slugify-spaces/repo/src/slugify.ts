/** Turns a title into a URL slug: lower-case ASCII letters and digits separated by single dashes. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/, '-')
    .replace(/^-+|-+$/g, '');
}
