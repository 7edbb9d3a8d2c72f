const longDateFormats = new Map<string, Intl.DateTimeFormat | undefined>();

/** "January 20, 2023" in the show's language (formatters cached: they are costly to build). */
export function formatLongDate(isoDate: string, language: string): string {
  if (!longDateFormats.has(language)) {
    let format: Intl.DateTimeFormat | undefined;
    try {
      format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    } catch {
      // A tag ICU does not know (Intl throws RangeError): the ISO date is still a correct date.
      format = undefined;
    }
    longDateFormats.set(language, format);
  }
  return longDateFormats.get(language)?.format(new Date(`${isoDate}T00:00:00Z`)) ?? isoDate;
}
