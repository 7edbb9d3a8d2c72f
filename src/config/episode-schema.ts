import { z } from 'zod';
import { CleanupOverrideSchema, PersonSchema, RelativePathSchema, UrlSchema } from './show-schema.js';

export const DateSchema = z
  .string({ error: 'must be a date written YYYY-MM-DD (in quotes is fine)' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  // Only a well-formed date can be unreal; one message per mistake.
  .refine((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || isRealDate(s), 'is not a real calendar date');

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
  date: DateSchema.describe('When the correction was made, YYYY-MM-DD.'),
  text: z.string().min(1, 'must not be empty').describe('The corrected text, as published.'),
});

/** podcast:soundbite (podcast namespace docs/tags/soundbite.md): start and length in seconds, a title ≤ 128 characters. */
export const SoundbiteSchema = z.strictObject({
  start: z.number().nonnegative().describe('Seconds from the start of the published audio.'),
  duration: z.number().positive().describe('Seconds (the namespace recommends 15 to 120).'),
  title: z.string().min(1).max(128).optional().describe('What it is; apps use the episode title when absent.'),
});

const ClipTimeSchema = z.union([z.number().nonnegative(), z.string().regex(/^(?:\d+:)?(?:\d+:)?\d+(?:\.\d+)?$/, 'must be a time like 12:30, 1:02:03 or seconds')]);

/** A clip for social video (`castline clip` writes the same): made on every build into dist/episodes/<id>/clips/. */
export const ClipSchema = z.strictObject({
  from: ClipTimeSchema.describe('Start in the published audio: 12:30, 1:02:03 or seconds.'),
  to: ClipTimeSchema.describe('End, the same way.'),
  format: z.enum(['vertical', 'square', 'landscape']).default('vertical').describe('vertical 1080×1920 (≤ 60 s: Shorts, Reels, TikTok), square 1080×1080 or landscape 1920×1080.'),
  title: z.string().min(1).max(128).optional().describe('Drawn at the top under the show name; also the soundbite title.'),
  waveform: z.boolean().default(false).describe('Draw a waveform of the sound under the captions.'),
});

export const EpisodeSchema = z.strictObject({
  title: z.string().min(1).max(255).describe('Episode title (feed, site, YouTube).'),
  number: z.number().int().positive().optional().describe('Episode number; unique within the season (`castline new` picks the next one).'),
  season: z.number().int().positive().optional().describe('Season number.'),
  episodeType: z.enum(['full', 'trailer', 'bonus']).default('full').describe('Apple episode type.'),
  date: DateSchema.optional().describe('Publication date YYYY-MM-DD; default: the date in the folder name.'),
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM (24-hour)')
    .default('09:00')
    .describe('Local publication time HH:MM in `timezone`.'),
  timezone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone like "UTC" or "Europe/Copenhagen"')
    .default('UTC')
    .describe('IANA time zone of `time`, like "Europe/Copenhagen".'),
  description: z.string().min(1).optional().describe('Replaces the generated summary in the feed and on YouTube.'),
  explicit: z.boolean().optional().describe('Overrides the show\'s `explicit` for this episode.'),
  image: RelativePathSchema.optional().describe('Episode artwork in the episode folder (square JPEG/PNG, 1400–3000 px); default: the show cover.'),
  visuals: z
    .record(z.string(), RelativePathSchema)
    .default({})
    .describe('Visual per script section id, paths relative to the episode folder; default: visuals/<id>.png or .jpg.'),
  source: z
    .strictObject({
      guid: z.string().min(1).describe('The issue\'s identity: RSS guid, Atom id, the page\'s canonical URL or the email\'s Message-ID.'),
      url: UrlSchema.optional().describe('Where the issue can be read online.'),
    })
    .optional()
    .describe('The newsletter issue this episode was imported from (`castline new --from` writes it); `castline new` skips feed items already recorded here.'),
  persons: z
    .array(PersonSchema)
    .default([])
    .describe('podcast:person entries for this episode, like guests; the show\'s persons are repeated before them (the namespace: item persons replace the channel\'s).'),
  soundbites: z
    .array(SoundbiteSchema)
    .default([])
    .describe('podcast:soundbite: short extracts apps can preview, each {start, duration, title}, seconds from the start of the published audio.'),
  block: z.boolean().default(false).describe('true: itunes:block Yes, keeping this episode off Apple Podcasts (it stays in the feed for other apps).'),
  clips: z.array(ClipSchema).default([]).describe('Short clips for social video, made on every build (captions burned in); each is also a {start, duration, title} soundbite.'),
  corrections: z
    .array(CorrectionSchema)
    .default([])
    .describe('Published corrections, newest last; shown in the feed, on the site and on YouTube without new media.'),
  audio: z
    .strictObject({
      cleanup: CleanupOverrideSchema.optional().describe('Overrides of the show\'s audio.cleanup for this recording (only the settings named change).'),
    })
    .optional()
    .describe('Audio overrides for this episode.'),
  youtube: z
    .strictObject({
      title: z.string().min(1).max(100).optional().describe('Video title; default: the episode title.'),
      tags: z.array(z.string().min(1)).optional().describe('Video tags; default: the show\'s youtube.tags.'),
      privacy: z.enum(['private', 'unlisted', 'public']).optional().describe('Overrides the show\'s youtube.privacy.'),
      publishAt: z.string().datetime({ offset: true }).optional().describe('ISO 8601 date-time that schedules the video (private until then).'),
      playlistId: z.string().min(1).optional().describe('Overrides the show\'s youtube.playlistId.'),
      containsSyntheticMedia: z.boolean().optional().describe('Overrides the show\'s youtube.containsSyntheticMedia for this video.'),
      notifySubscribers: z.boolean().optional().describe('Overrides the show\'s youtube.notifySubscribers (false for a back-catalog upload).'),
      skip: z.boolean().default(false).describe('true: publish this episode as a podcast only.'),
    })
    .prefault({})
    .describe('YouTube overrides for this episode.'),
});

export type EpisodeConfig = z.infer<typeof EpisodeSchema>;
export type Correction = z.infer<typeof CorrectionSchema>;
export type Soundbite = z.infer<typeof SoundbiteSchema>;
