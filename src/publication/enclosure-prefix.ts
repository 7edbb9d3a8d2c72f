/**
 * An enclosure URL behind an analytics prefix (feed.enclosurePrefix), the way OP3 documents
 * it (github.com/skymethod/op3, worker/static/setup.htm: an https URL goes after the prefix
 * without its scheme, an http one with it) and Podtrac and Chartable take it (no scheme).
 */
export function prefixedUrl(prefix: string | undefined, url: string): string {
  if (!prefix) return url;
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return p + url.replace(/^https:\/\//i, '');
}

/**
 * The URL behind an analytics prefix (the inverse of prefixedUrl): what follows the prefix,
 * with https:// put back when the prefix service took it off. A URL without the prefix is
 * returned as it is.
 */
export function unprefixUrl(prefix: string | undefined, url: string): string {
  if (!prefix) return url;
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (!url.startsWith(p)) return url;
  const rest = url.slice(p.length);
  return /^https?:\/\//i.test(rest) ? rest : `https://${rest}`;
}
