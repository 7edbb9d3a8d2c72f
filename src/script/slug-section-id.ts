/**
 * Section ids: the slug of the heading (lowercase ASCII letters, digits, single dashes), made
 * unique with -2, -3… They name audio/<id>.wav and visuals/<id>.png, so they stay plain ASCII.
 */
export function slugSectionId(title: string, taken: ReadonlySet<string>, fallback = 'section'): string {
  const base =
    title
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/&/g, ' ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || fallback;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export const SECTION_ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
