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

export const UrlSchema = z.string().url('must be a full URL starting with https:// or http://');

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

/**
 * Cleanup of the speech before loudness normalization (after Auphonic's single-track
 * algorithms; issue 14). Each step is measured in the build report. Music is never cleaned.
 */
const CLEANUP_FIELDS = {
  highpass: z.union([z.number().min(20).max(300), z.literal(false)]).describe('High-pass filter corner in Hz (rumble, handling noise and plosives below the voice), or false to skip.'),
  dehum: z.union([z.literal(50), z.literal(60), z.literal('auto'), z.literal(false)]).describe('Mains hum removal: 50 or 60 (Hz, with harmonics), auto (detect the hum and act only when it is there), or false.'),
  denoise: z
    .union([z.literal(false), z.enum(['light', 'medium', 'strong'])])
    .describe("Broadband noise reduction (fan, hiss, room tone) using the noise level measured in the recording's own pauses: false, light, medium or strong."),
  leveler: z.boolean().describe('Even out a voice that gets louder and quieter (a measured, slowly moving gain that holds still in pauses).'),
  trimSilence: z.boolean().describe('Cut leading and trailing silence and shorten pauses longer than maxPause (chapters and captions follow the cut audio).'),
  maxPause: z.number().min(0.3).max(10).describe('With trimSilence: pauses longer than this many seconds are shortened to it.'),
};

export const CleanupSchema = z.strictObject({
  highpass: CLEANUP_FIELDS.highpass.default(80),
  dehum: CLEANUP_FIELDS.dehum.default('auto'),
  denoise: CLEANUP_FIELDS.denoise.default(false),
  leveler: CLEANUP_FIELDS.leveler.default(false),
  trimSilence: CLEANUP_FIELDS.trimSilence.default(false),
  maxPause: CLEANUP_FIELDS.maxPause.default(1.5),
});

/**
 * An episode may override any cleanup setting (episode.yaml `audio.cleanup`). No defaults
 * here: a setting the episode does not name keeps the show's value.
 */
export const CleanupOverrideSchema = z.strictObject({
  highpass: CLEANUP_FIELDS.highpass.optional(),
  dehum: CLEANUP_FIELDS.dehum.optional(),
  denoise: CLEANUP_FIELDS.denoise.optional(),
  leveler: CLEANUP_FIELDS.leveler.optional(),
  trimSilence: CLEANUP_FIELDS.trimSilence.optional(),
  maxPause: CLEANUP_FIELDS.maxPause.optional(),
});

export const AudioSettingsSchema = z.strictObject({
  loudness: z.number().min(-30).max(-9).default(-16).describe('Integrated loudness target in LUFS (EBU R128); Apple and Spotify expect about -16 for speech.'),
  truePeak: z.number().min(-9).max(0).default(-1).describe('True-peak ceiling in dBTP.'),
  bitrate: z.literal([64, 96, 112, 128, 160, 192, 256, 320]).default(128).describe('MP3 bitrate in kbit/s (constant bitrate).'),
  sampleRate: z.literal([44100, 48000]).default(44100).describe('Sample rate of the MP3 and the video\'s audio, Hz.'),
  channels: z.literal([1, 2]).default(1).describe('1 = mono (plenty for speech), 2 = stereo.'),
  intro: RelativePathSchema.optional().describe('Music played before the first section (a path in the show folder).'),
  outro: RelativePathSchema.optional().describe('Music played after the last section (a path in the show folder).'),
  crossfade: z.number().min(0).max(10).default(1.5).describe('Crossfade between music and speech, seconds.'),
  cleanup: CleanupSchema.prefault({}).describe('Speech cleanup before loudness normalization: high-pass, hum, noise, leveler, silence.'),
});

export const VideoSettingsSchema = z.strictObject({
  width: z.number().int().min(320).max(3840).default(1920).describe('Video width in pixels.'),
  height: z.number().int().min(240).max(2160).default(1080).describe('Video height in pixels.'),
  fps: z.number().min(1).max(60).default(1).describe('Frames per second of the still-image video; low rates encode fastest.'),
  background: RelativePathSchema.optional().describe('Background image for generated title cards (default: the cover).'),
  font: RelativePathSchema.default('assets/fonts/DejaVuSans-Bold.ttf').describe('TrueType/OpenType font for title cards, lower thirds and thumbnails.'),
  lowerThirds: z.boolean().default(true).describe('With a camera recording (episodes/<id>/video/): draw each chapter\'s title over the picture at the chapter\'s start.'),
  lowerThirdSeconds: z.number().min(1).max(30).default(5).describe('How long a lower third stays, seconds (shorter when the next chapter starts sooner).'),
  figureSeconds: z.number().min(1).max(60).default(8).describe('How long a figure of script.md ([image: …](visuals/…) cues) stays on screen from where its cue stands, seconds (shorter when the next figure comes sooner).'),
  cameraPreset: z
    .enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'])
    .default('veryfast')
    .describe('x264 preset when a camera recording is re-encoded (lower thirds, another size, a shift to line it up): faster presets make larger files at the same quality.'),
  cameraCrf: z.number().int().min(0).max(51).default(20).describe('x264 constant rate factor of a re-encoded camera recording (lower is better and larger; YouTube re-encodes what it gets).'),
});

export const YouTubeSettingsSchema = z.strictObject({
  categoryId: z.string().regex(/^\d+$/, 'must be a numeric YouTube category id as a string, like "28"').default('28').describe('YouTube video category id, quoted: "28" Science & Technology, "27" Education, "22" People & Blogs.'),
  privacy: z.enum(['private', 'unlisted', 'public']).default('private').describe('Privacy of uploaded videos (a scheduled video stays private until its time).'),
  playlistId: z.string().min(1).optional().describe('Playlist every video is added to (checked with playlists.list before the first upload); make it a podcast playlist in YouTube Studio to have YouTube show it as the podcast.'),
  tags: z.array(z.string().min(1)).default([]).describe('Tags on every video.'),
  madeForKids: z.boolean({ error: 'is required: say whether the videos are made for kids (true or false), as YouTube requires' }).describe('Required by YouTube (COPPA): are the videos made for children? true or false.'),
  defaultLanguage: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code like "en" or "en-US"').optional().describe('Language of titles and descriptions, like "en" (BCP-47).'),
  containsSyntheticMedia: z.boolean().optional().describe('Altered or synthetic content disclosure (status.containsSyntheticMedia): true when the voice or images are generated; sent only when set.'),
  license: z.enum(['youtube', 'creativeCommon']).optional().describe('Video license (status.license): youtube (standard) or creativeCommon (CC BY); sent only when set, otherwise YouTube\'s or Studio\'s value stands.'),
  embeddable: z.boolean().optional().describe('Whether other sites may embed the videos (status.embeddable); sent only when set.'),
  notifySubscribers: z.boolean().optional().describe('Whether YouTube notifies subscribers of a new upload (videos.insert notifySubscribers); sent only when set (YouTube\'s default: notify).'),
  chunkMiB: z.number().int().min(1).max(256).default(8).describe('Chunk size of resumable uploads, MiB.'),
  processingWaitSeconds: z.number().int().min(0).max(3600).default(120).describe('How long publish waits for YouTube to finish processing a new upload (videos.list every 10 s, 1 unit each); still processing after that, the next publish checks again.'),
});

export const LinksSchema = z.strictObject({
  spotify: UrlSchema.optional().describe('The show on Spotify (shown on the site).'),
  apple: UrlSchema.optional().describe('The show on Apple Podcasts.'),
  youtube: UrlSchema.optional().describe('The YouTube channel.'),
  website: UrlSchema.optional().describe('The show\'s or newsletter\'s website.'),
});

export const NewsletterSchema = z.strictObject({
  feed: UrlSchema.optional().describe('The newsletter\'s RSS or Atom feed: `castline new <slug>` with no source imports its newest issue not yet in episodes/.'),
});

export const ScriptSettingsSchema = z.strictObject({
  wpm: z.number().min(60).max(300).default(155).describe('Reading speed for time estimates, words per minute.'),
  intro: z.string().default('Welcome to {show}, episode {number}: {title}.').describe('Spoken intro template; {title}, {show}, {number} and {date} are filled in.'),
  outro: z.string().default('That was {show}. Thanks for listening, and see you next week.').describe('Spoken outro template, filled in like intro.'),
  urls: z.enum(['drop', 'speak']).default('drop').describe('Bare URLs in spoken text: drop leaves them to the show notes, speak reads the domain.'),
});

/** podcast:person (podcast namespace docs/tags/person.md): a name ≤ 128 characters, a taxonomy role. */
export const PersonSchema = z.strictObject({
  name: z.string().min(1).max(128).describe('Full name.'),
  role: z.string().default('host').describe('Podcasting 2.0 role, like host, guest, editor.'),
  href: UrlSchema.optional().describe('Their web page.'),
  img: UrlSchema.optional().describe('Their picture.'),
});

export const PodcastNamespaceSchema = z.strictObject({
  guid: z.string().uuid().optional().describe('podcast:guid of the show; computed from the feed URL when absent (Podcasting 2.0), then kept.'),
  locked: z.boolean().default(true).describe('podcast:locked: other platforms may not import the feed without the owner\'s consent.'),
  funding: z
    .array(z.strictObject({ url: UrlSchema.describe('Where listeners can support the show.'), text: z.string().min(1).max(128).describe('Link text.') }))
    .default([])
    .describe('podcast:funding links.'),
  persons: z
    .array(PersonSchema)
    .default([])
    .describe('podcast:person entries for the whole show.'),
  newFeedUrl: HttpsUrlSchema.optional().describe('podcast:new-feed-url, only when the feed moves.'),
  medium: z.enum(['podcast', 'music', 'audiobook', 'newsletter', 'blog', 'course']).default('podcast').describe('podcast:medium of feed.xml (the video feed says video).'),
  txt: z
    .array(
      z.strictObject({
        value: z.string().min(1).describe('The text, like the code a directory gives you to prove you own the feed.'),
        purpose: z.string().min(1).optional().describe('What it is for, like "verify" or a service\'s domain.'),
      }),
    )
    .default([])
    .describe('podcast:txt entries on the channel (ownership codes without publishing an email).'),
  applePodcastsVerify: z.string().min(1).optional().describe('The code Apple Podcasts Connect shows to verify ownership: written as <podcast:txt purpose="applepodcastsverify">.'),
  license: z
    .strictObject({
      identifier: z.string().min(1).describe('Lower-cased SPDX-style identifier from the namespace\'s license list, like "cc-by-4.0", or your own license\'s short name.'),
      url: UrlSchema.optional().describe('The license text; required for a license not on the list.'),
    })
    .optional()
    .describe('podcast:license of the show\'s audio and video.'),
  seasons: z.record(z.string().regex(/^\d+$/, 'must be a season number'), z.string().min(1)).default({}).describe('Season names by number, like {1: "The basics"}: podcast:season name on each episode of that season.'),
  podroll: z
    .array(
      z.strictObject({
        feedGuid: z.string().uuid().describe('The recommended show\'s podcast:guid.'),
        feedUrl: UrlSchema.optional().describe('Its feed URL.'),
        title: z.string().min(1).optional().describe('Its name.'),
      }),
    )
    .default([])
    .describe('podcast:podroll: other shows you recommend, by podcast:guid.'),
  updateFrequency: z
    .strictObject({
      rrule: z.string().regex(/^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$/, 'must be an iCalendar RRULE like "FREQ=WEEKLY" (RFC 5545 §3.3.10)').describe('RFC 5545 recurrence rule, like "FREQ=WEEKLY" or "FREQ=WEEKLY;BYDAY=FR".'),
      text: z.string().min(1).describe('The schedule in words, like "Weekly".'),
      complete: z.boolean().default(false).describe('true once the show will publish no more episodes.'),
    })
    .optional()
    .describe('podcast:updateFrequency: the release schedule.'),
});

/** A folder inside the bucket or server: relative, no `..` (it could escape the site). */
const RemoteFolderSchema = z
  .string()
  .min(1)
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".." (name the folder inside the bucket directly)')
  .transform((p) => p.replace(/^\/+|\/+$/g, ''));

/**
 * One object for every target (so the reference below lists each key once); which keys a
 * target needs and allows is checked by the refinement, naming the key.
 */
const DEPLOY_KEYS = {
  local: ['path'],
  s3: ['bucket', 'prefix', 'region', 'endpoint', 'forcePathStyle', 'partSizeMiB'],
  sftp: ['host', 'port', 'user', 'path', 'hostKey'],
} as const;
const DEPLOY_REQUIRED = { local: [], s3: ['bucket'], sftp: ['host', 'user', 'path'] } as const;

export const DeploySchema = z
  .strictObject({
    target: z.enum(['local', 's3', 'sftp']).default('local').describe('Where `castline deploy` puts the site: local (a folder), s3 (any S3-compatible storage), sftp (a server over SSH).'),
    path: z.string().min(1).optional().describe('local: the folder dist/ is copied to (absolute, or relative to the show root). sftp: the remote folder (the web root of site.baseUrl).'),
    bucket: z.string().min(3).max(63).regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, 'must be a bucket name: lowercase letters, digits, dots and dashes').optional().describe('s3: the bucket.'),
    prefix: RemoteFolderSchema.optional().describe('s3: a folder inside the bucket (site.baseUrl points at it).'),
    region: z.string().min(1).optional().describe('s3: the region, like "us-east-1"; "auto" for Cloudflare R2 (default: the SDK\'s AWS_REGION, else us-east-1).'),
    endpoint: UrlSchema.optional().describe('s3: the API endpoint of a non-AWS store (R2, B2, MinIO, Spaces, Wasabi, GCS).'),
    forcePathStyle: z.boolean().optional().describe('s3: address the bucket as endpoint/bucket rather than bucket.endpoint (MinIO and most self-hosted stores).'),
    partSizeMiB: z.number().int().min(5).max(512).optional().describe('s3: multipart part size for large files, MiB (default 8; S3\'s minimum is 5).'),
    host: z.string().min(1).regex(/^[^\s/@:]+$|^\[[0-9a-fA-F:]+\]$/, 'must be a host name or address, without user, port or path').optional().describe('sftp: the server.'),
    port: z.number().int().min(1).max(65535).optional().describe('sftp: SSH port (default 22).'),
    user: z.string().min(1).optional().describe('sftp: the login; authentication by ssh-agent or the key file named by CASTLINE_SFTP_KEY.'),
    hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be an OpenSSH SHA256 fingerprint, like "SHA256:abc…" (ssh-keyscan HOST | ssh-keygen -lf -)').optional().describe('sftp: the server\'s host key fingerprint, when it is not in ~/.ssh/known_hosts.'),
    prune: z.boolean().default(false).describe('Delete files castline deployed earlier that dist/ no longer has (after the new feed is up).'),
  })
  .superRefine((d, ctx) => {
    const allowed = new Set<string>(['target', 'prune', ...DEPLOY_KEYS[d.target]]);
    for (const key of Object.keys(d)) {
      if (!allowed.has(key) && (d as Record<string, unknown>)[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `is not a setting of target ${d.target} (it takes ${[...allowed].join(', ')})` });
      }
    }
    for (const key of DEPLOY_REQUIRED[d.target]) {
      if ((d as Record<string, unknown>)[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required for target ${d.target}` });
    }
  });

export const FeedSettingsSchema = z.strictObject({
  video: z
    .enum(['alternate', 'off'])
    .default('alternate')
    .describe('alternate: each item offers its MP4 as a podcast:alternateEnclosure beside the MP3 enclosure (which stays the default); off: audio only.'),
  videoFeed: z.boolean().default(false).describe('Also write dist/feed-video.xml: the MP4s as enclosures, its own podcast:guid and podcast:medium video (for apps and directories that take a video podcast).'),
  enclosurePrefix: UrlSchema.optional().describe('Analytics prefix put before every enclosure URL, like "https://op3.dev/e/" (OP3) or a Podtrac/Chartable prefix; castline verify follows it.'),
  websub: z
    .strictObject({ hub: UrlSchema.describe('The WebSub hub, like "https://pubsubhubbub.appspot.com/"; the feed names it and castline pings it after the feed changes.') })
    .optional()
    .describe('WebSub (W3C): podcatchers that subscribe hear of a new episode at once.'),
});

export const NotifySchema = z.strictObject({
  podcastIndex: z.boolean().default(false).describe('After a deploy that changed the feed, tell Podcast Index (hub/pubnotify) to re-read it.'),
});

export const ShowSchema = z.strictObject({
  title: z.string().min(1).max(255).describe('The show\'s name.'),
  description: z.string().min(1).describe('What the show is about (feed, site, directories).'),
  author: z.string().min(1).describe('Shown as the show\'s author in podcast apps.'),
  owner: z
    .strictObject({
      name: z.string().min(1).describe('The owner\'s name (itunes:owner).'),
      email: z.string().email('must be an email address (Spotify sends the claim code there)').describe('Owner email; Apple and Spotify send ownership checks here.'),
    })
    .describe('Who owns the feed.'),
  language: LanguageSchema.describe('ISO 639-1 language, optional region: "en", "en-us".'),
  categories: z
    .array(CategorySchema)
    .min(1, 'needs at least one Apple Podcasts category')
    .max(3)
    .describe('1–3 Apple Podcasts categories: a name, or {category, subcategory}. See the list below.'),
  explicit: z.boolean().default(false).describe('Whether the show contains explicit content.'),
  cover: RelativePathSchema.describe('Cover art in the show folder: square JPEG or PNG, 1400–3000 px.'),
  copyright: z.string().min(1).optional().describe('Copyright line in the feed.'),
  type: z.enum(['episodic', 'serial']).default('episodic').describe('episodic (newest first) or serial (in order).'),
  site: z
    .strictObject({
      baseUrl: HttpsUrlSchema.transform((u) => (u.endsWith('/') ? u : `${u}/`)).describe('https URL where dist/ is hosted; every URL in the feed is absolute under it.'),
      video: z
        .enum(['player', 'youtube'])
        .default('player')
        .describe('Episode pages: player shows the MP4 in a <video> player with the captions track; youtube links to the YouTube video instead.'),
    })
    .describe('Where the built site is hosted.'),
  audio: AudioSettingsSchema.prefault({}).describe('Audio settings.'),
  video: VideoSettingsSchema.prefault({}).describe('Video settings.'),
  youtube: YouTubeSettingsSchema.optional().describe('YouTube settings; leave out to publish the podcast only.'),
  links: LinksSchema.prefault({}).describe('Links to the show elsewhere.'),
  newsletter: NewsletterSchema.prefault({}).describe('The newsletter the episodes come from.'),
  script: ScriptSettingsSchema.prefault({}).describe('How `castline script` writes the spoken script.'),
  podcast: PodcastNamespaceSchema.prefault({}).describe('Podcasting 2.0 tags.'),
  deploy: DeploySchema.prefault({}).describe('Where `castline deploy` (and publish) puts the site.'),
  feed: FeedSettingsSchema.prefault({}).describe('Feed settings.'),
  notify: NotifySchema.prefault({}).describe('Which directories hear of a changed feed.'),
});

export type ShowConfig = z.infer<typeof ShowSchema>;
export type ShowInput = z.input<typeof ShowSchema>;
export type AudioSettings = z.infer<typeof AudioSettingsSchema>;
export type CleanupSettings = z.infer<typeof CleanupSchema>;
export type CleanupOverride = z.infer<typeof CleanupOverrideSchema>;
export type VideoSettings = z.infer<typeof VideoSettingsSchema>;
export type YouTubeSettings = z.infer<typeof YouTubeSettingsSchema>;
export type DeploySettings = z.infer<typeof DeploySchema>;
