/**
 * The calendar date an item was published on, as its author wrote it: the day in the
 * date-time's own offset, not in UTC (an issue sent Thursday 23:30 in California is
 * Thursday's issue). RSS uses RFC 822 dates (RSS 2.0 `pubDate`), Atom and HTML meta tags
 * RFC 3339 (RFC 4287 §3.3); email RFC 5322 `Date:` headers.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function writtenDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(raw);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const rfc = /\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b/i.exec(raw);
  if (rfc) return `${rfc[3]}-${String(MONTHS.indexOf((rfc[2] ?? '').toLowerCase()) + 1).padStart(2, '0')}-${(rfc[1] ?? '').padStart(2, '0')}`;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
}
