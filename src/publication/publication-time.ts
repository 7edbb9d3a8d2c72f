/**
 * The instant an episode is published: episode.yaml date + time (HH:MM) in its IANA time
 * zone, as a UTC Date. Feed pubDates are RFC 2822 (RSS 2.0 spec) and must not drift with
 * the build machine's zone.
 */
export function publicationInstant(date: string, time: string, timeZone: string): Date {
  const key = `${date} ${time} ${timeZone}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    ms = computeInstant(date, time, timeZone);
    instants.set(key, ms);
  }
  return new Date(ms);
}

const instants = new Map<string, number>();

function computeInstant(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The zone's offset at that wall time; checked twice so DST transitions land right.
  let utc = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(utc, timeZone);
  if (second !== utc) utc = second;
  return utc;
}

/** Offset of `timeZone` from UTC at instant `utcMs`, in ms (Copenhagen in winter: +3600000). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = zoneFormatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** RFC 2822 date-time (RSS 2.0 pubDate), always in GMT. */
export function rfc2822(date: Date): string {
  return date.toUTCString();
}

// Building an Intl.DateTimeFormat costs far more than using one (bench-feed: 1,000 episodes).
const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}
