import { describe, expect, it } from 'vitest';
import { publicationInstant, rfc2822 } from '../../../src/publication/publication-time.js';

describe('publicationInstant', () => {
  it('reads date and time in the episode time zone', () => {
    expect(publicationInstant('2023-01-20', '09:00', 'Europe/Copenhagen').toISOString()).toBe('2023-01-20T08:00:00.000Z');
    expect(publicationInstant('2023-07-20', '09:00', 'Europe/Copenhagen').toISOString()).toBe('2023-07-20T07:00:00.000Z');
    expect(publicationInstant('2023-01-20', '09:00', 'UTC').toISOString()).toBe('2023-01-20T09:00:00.000Z');
    expect(publicationInstant('2023-03-12', '23:30', 'America/New_York').toISOString()).toBe('2023-03-13T03:30:00.000Z');
    expect(publicationInstant('2023-01-20', '06:00', 'Asia/Kolkata').toISOString()).toBe('2023-01-20T00:30:00.000Z');
  });

  it('prints RFC 2822 dates in GMT', () => {
    expect(rfc2822(new Date('2023-01-20T08:00:00Z'))).toBe('Fri, 20 Jan 2023 08:00:00 GMT');
  });
});
