import { z } from 'zod';
import { RelativePathSchema } from './show-schema.js';

export const DateSchema = z
  .string({ error: 'must be a date written YYYY-MM-DD (in quotes is fine)' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isRealDate, 'is not a real calendar date');

export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const CorrectionSchema = z.strictObject({
  date: DateSchema,
  text: z.string().min(1, 'must not be empty'),
});

export const EpisodeSchema = z.strictObject({
  title: z.string().min(1).max(255),
  number: z.number().int().positive().optional(),
  season: z.number().int().positive().optional(),
  episodeType: z.enum(['full', 'trailer', 'bonus']).default('full'),
  /** Publication date; defaults to the date in the folder name. */
  date: DateSchema.optional(),
  /** Local publication time HH:MM in `timezone`. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM (24-hour)').default('09:00'),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone like "UTC" or "Europe/Copenhagen"').default('UTC'),
  /** Replaces the generated summary in the feed and on YouTube. */
  description: z.string().min(1).optional(),
  explicit: z.boolean().optional(),
  /** Episode artwork (square, 1400–3000 px), else the show cover. */
  image: RelativePathSchema.optional(),
  /** Visual per section id, paths relative to the episode folder; default visuals/<id>.(png|jpg). */
  visuals: z.record(z.string(), RelativePathSchema).default({}),
  /** Published corrections, newest last; shown in the feed, the site and on YouTube. */
  corrections: z.array(CorrectionSchema).default([]),
  youtube: z
    .strictObject({
      title: z.string().min(1).max(100).optional(),
      tags: z.array(z.string().min(1)).optional(),
      privacy: z.enum(['private', 'unlisted', 'public']).optional(),
      /** ISO 8601 date-time; schedules the video (it stays private until then). */
      publishAt: z.string().datetime({ offset: true }).optional(),
      playlistId: z.string().min(1).optional(),
      skip: z.boolean().default(false),
    })
    .prefault({}),
});

export type EpisodeConfig = z.infer<typeof EpisodeSchema>;
export type Correction = z.infer<typeof CorrectionSchema>;
