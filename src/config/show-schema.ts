import { z } from 'zod';
import { APPLE_CATEGORIES } from './apple-categories.js';

/**
 * show.yaml — the single source of truth for show settings. Types are inferred from here;
 * the README's configuration reference is checked against this schema by a test.
 */

// ISO 639-1 language, optional ISO 3166 region (Apple: `en`, `en-us`; RSS 2.0 language codes).
const LanguageSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-zA-Z]{2})?$/, 'must be an ISO 639-1 code with an optional region, like "en" or "en-us"')
  .transform((s) => s.toLowerCase());

const HttpsUrlSchema = z
  .string()
  .url('must be a full URL, like "https://example.org/"')
  .refine((u) => u.startsWith('https://'), 'must start with https:// (Apple and Spotify require HTTPS)');

const UrlSchema = z.string().url('must be a full URL starting with https:// or http://');

/** A path inside the show folder: relative, no `..`, no absolute paths. */
export const RelativePathSchema = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'must be a path inside the show folder (relative, no "..")');

const CategorySchema = z
  .union([
    z.string(),
    z.strictObject({ category: z.string(), subcategory: z.string().optional() }),
  ])
  .transform((c) => (typeof c === 'string' ? { category: c, subcategory: undefined } : c))
  .superRefine((c, ctx) => {
    const subs = APPLE_CATEGORIES[c.category];
    if (!subs) {
      ctx.addIssue({ code: 'custom', message: `"${c.category}" is not an Apple Podcasts category`, params: { kind: 'category', value: c.category } });
      return;
    }
    if (c.subcategory !== undefined && !subs.includes(c.subcategory)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${c.subcategory}" is not a subcategory of "${c.category}"`,
        params: { kind: 'subcategory', value: c.subcategory, category: c.category },
      });
    }
  });

export const AudioSettingsSchema = z.strictObject({
  /** Integrated loudness target, LUFS (EBU R128). Apple/Spotify recommend about -16 for speech. */
  loudness: z.number().min(-30).max(-9).default(-16),
  /** True-peak ceiling, dBTP. */
  truePeak: z.number().min(-9).max(0).default(-1),
  /** MP3 bitrate, kbit/s, constant bitrate. */
  bitrate: z.union([z.literal(64), z.literal(96), z.literal(112), z.literal(128), z.literal(160), z.literal(192), z.literal(256), z.literal(320)]).default(128),
  sampleRate: z.union([z.literal(44100), z.literal(48000)]).default(44100),
  channels: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Optional music before the first section and after the last (paths in the show folder). */
  intro: RelativePathSchema.optional(),
  outro: RelativePathSchema.optional(),
  /** Crossfade between music and speech, seconds. */
  crossfade: z.number().min(0).max(10).default(1.5),
});

export const VideoSettingsSchema = z.strictObject({
  width: z.number().int().min(320).max(3840).default(1920),
  height: z.number().int().min(240).max(2160).default(1080),
  /** Frames per second of the still-image video; low rates encode fastest. */
  fps: z.number().min(1).max(60).default(1),
  /** Background for generated title cards (defaults to the cover). */
  background: RelativePathSchema.optional(),
  /** TrueType/OpenType font for title cards and thumbnails. */
  font: RelativePathSchema.default('assets/fonts/DejaVuSans-Bold.ttf'),
});

export const YouTubeSettingsSchema = z.strictObject({
  /** YouTube video category id; 28 = Science & Technology, 27 = Education, 22 = People & Blogs. */
  categoryId: z.string().regex(/^\d+$/, 'must be a numeric YouTube category id as a string, like "28"').default('28'),
  privacy: z.enum(['private', 'unlisted', 'public']).default('private'),
  playlistId: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).default([]),
  /** Required by YouTube (COPPA): is this content made for children? */
  madeForKids: z.boolean({ error: 'is required: say whether the videos are made for kids (true or false), as YouTube requires' }),
  defaultLanguage: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/).optional(),
  /** Chunk size for resumable uploads, MiB (multiple of 256 KiB). */
  chunkMiB: z.number().int().min(1).max(256).default(8),
});

export const LinksSchema = z.strictObject({
  spotify: UrlSchema.optional(),
  apple: UrlSchema.optional(),
  youtube: UrlSchema.optional(),
  website: UrlSchema.optional(),
});

export const ScriptSettingsSchema = z.strictObject({
  /** Reading speed used for time estimates, words per minute. */
  wpm: z.number().min(60).max(300).default(155),
  /** Intro template; `{title}`, `{show}`, `{number}`, `{date}` are filled in. */
  intro: z.string().default('Welcome to {show}, episode {number}: {title}.'),
  outro: z.string().default('That was {show}. Thanks for listening, and see you next week.'),
  /** What to do with bare URLs in spoken text: `drop` leaves them to the show notes, `speak` reads the domain. */
  urls: z.enum(['drop', 'speak']).default('drop'),
});

export const PodcastNamespaceSchema = z.strictObject({
  /** podcast:guid; computed from the feed URL when absent (Podcasting 2.0), then kept. */
  guid: z.string().uuid().optional(),
  locked: z.boolean().default(true),
  funding: z.array(z.strictObject({ url: UrlSchema, text: z.string().min(1).max(128) })).default([]),
  persons: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        role: z.string().default('host'),
        href: UrlSchema.optional(),
        img: UrlSchema.optional(),
      }),
    )
    .default([]),
  newFeedUrl: HttpsUrlSchema.optional(),
});

export const DeploySchema = z.strictObject({
  target: z.literal('local').default('local'),
  /** Folder the site is copied to (absolute, or relative to the show root). */
  path: z.string().min(1).optional(),
});

export const ShowSchema = z.strictObject({
  title: z.string().min(1).max(255),
  description: z.string().min(1),
  author: z.string().min(1),
  owner: z.strictObject({
    name: z.string().min(1),
    email: z.string().email('must be an email address (Spotify sends the claim code there)'),
  }),
  language: LanguageSchema,
  categories: z.array(CategorySchema).min(1, 'needs at least one Apple Podcasts category').max(3),
  explicit: z.boolean().default(false),
  cover: RelativePathSchema,
  copyright: z.string().min(1).optional(),
  /** episodic (newest first) or serial (in order). */
  type: z.enum(['episodic', 'serial']).default('episodic'),
  site: z.strictObject({
    /** Where dist/ is hosted; every URL in the feed is absolute under it. */
    baseUrl: HttpsUrlSchema.transform((u) => (u.endsWith('/') ? u : `${u}/`)),
  }),
  audio: AudioSettingsSchema.prefault({}),
  video: VideoSettingsSchema.prefault({}),
  youtube: YouTubeSettingsSchema.optional(),
  links: LinksSchema.prefault({}),
  script: ScriptSettingsSchema.prefault({}),
  podcast: PodcastNamespaceSchema.prefault({}),
  deploy: DeploySchema.prefault({}),
});

export type ShowConfig = z.infer<typeof ShowSchema>;
export type ShowInput = z.input<typeof ShowSchema>;
export type AudioSettings = z.infer<typeof AudioSettingsSchema>;
export type VideoSettings = z.infer<typeof VideoSettingsSchema>;
export type YouTubeSettings = z.infer<typeof YouTubeSettingsSchema>;
