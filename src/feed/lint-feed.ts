import type { Rule } from '../config/check-rules.js';
import type { Problem } from '../core/errors.js';
import { byteLength } from '../core/clean-text.js';
import { DESCRIPTION_MAX_BYTES } from '../publication/plan-publication.js';
import type { ShowConfig } from '../config/show-schema.js';
import type { Soundbite } from '../config/episode-schema.js';
import { presentBuild, readBuildRecord } from '../records/build-record.js';

/**
 * `castline check` rules for what the feed will say (Apple Podcasts' RSS requirements,
 * Spotify's delivery spec, the Podcasting 2.0 namespace). Cover size/format/squareness are
 * checked by the core cover rule (check-rules.ts); these are the feed-only ones.
 */
// Apple: "Don't specify the episode number in the title" (itunes:episode carries it).
const NUMBER_IN_TITLE = /^\s*(#\s*\d+|(ep(isode)?\.?|folge|épisode)\s*#?\s*\d+)\b|\b(ep(isode)?\.?)\s*#?\s*\d+\s*$/i;

/** Podcast namespace limits (github.com/Podcastindex-org/podcast-namespace docs/tags/): "please do not exceed". */
export const TXT_VALUE_MAX = 4000;
export const NAMESPACE_TEXT_MAX = 128;
/** soundbite.md: "recommended between 15 and 120 seconds". */
const SOUNDBITE_SECONDS = [15, 120] as const;

export const feedLintRule: Rule = async (ctx) => {
  const problems: Problem[] = [];
  const { show } = ctx;
  const descBytes = byteLength(show.description);
  if (descBytes > DESCRIPTION_MAX_BYTES) {
    problems.push({
      severity: 'error',
      code: 'feed-description-length',
      file: 'show.yaml',
      path: 'description',
      message: `is ${descBytes} bytes; Apple Podcasts allows at most ${DESCRIPTION_MAX_BYTES}`,
      hint: 'shorten the show description (the site can say more)',
    });
  }
  if (show.podcast.newFeedUrl && show.podcast.newFeedUrl === `${show.site.baseUrl}feed.xml`) {
    problems.push({
      severity: 'error',
      code: 'feed-new-url-self',
      file: 'show.yaml',
      path: 'podcast.newFeedUrl',
      message: 'points at this same feed',
      hint: 'set it only when the feed moves, to the new address; remove it otherwise',
    });
  }
  if (/[?#]/.test(show.site.baseUrl)) {
    problems.push({ severity: 'error', code: 'feed-base-url', file: 'show.yaml', path: 'site.baseUrl', message: 'must not contain ? or #', hint: 'use the folder URL where dist/ is hosted, like https://example.org/podcast/' });
  }
  problems.push(...namespaceShowProblems(show));
  for (const ep of ctx.episodes) {
    const file = `episodes/${ep.id}/episode.yaml`;
    const config = ep.config;
    if (!config) continue;
    if (config.soundbites.length) {
      // An unreadable record is the build's to report; without a build the length is unknown.
      const build = await readBuildRecord(ctx.root, ep.id).then(presentBuild, () => undefined);
      problems.push(...soundbiteProblems(config.soundbites, build?.durationSeconds, file));
    }
    if (NUMBER_IN_TITLE.test(config.title)) {
      problems.push({
        severity: 'warning',
        code: 'feed-title-number',
        file,
        path: 'title',
        message: `"${config.title}" has an episode number in it`,
        hint: 'Apple asks for titles without numbers: set `number:` instead and it goes to itunes:episode',
      });
    }
    if (config.description && byteLength(config.description) > DESCRIPTION_MAX_BYTES) {
      problems.push({
        severity: 'warning',
        code: 'feed-episode-description-length',
        file,
        path: 'description',
        message: `is ${byteLength(config.description)} bytes; the feed keeps the first ${DESCRIPTION_MAX_BYTES} and links to the episode page`,
        hint: 'shorten it, or leave the full text to the show notes',
      });
    }
  }
  return problems;
};


/** show.yaml keys of the namespace that the schema cannot judge alone (pure). */
export function namespaceShowProblems(show: ShowConfig): Problem[] {
  const problems: Problem[] = [];
  const file = 'show.yaml';
  const prefix = show.feed.enclosurePrefix;
  // Apple Podcasts requires https for every media URL, and a prefix decides the enclosure's scheme.
  if (prefix && !prefix.startsWith('https://')) {
    problems.push({ severity: 'error', code: 'feed-enclosure-prefix', file, path: 'feed.enclosurePrefix', message: `${prefix} is not an https URL`, hint: 'use the https form of the prefix, like https://op3.dev/e/ (Apple rejects episodes served over http)' });
  }
  show.podcast.txt.forEach((t, i) => {
    const length = [...t.value].length;
    if (length > TXT_VALUE_MAX) {
      problems.push({ severity: 'error', code: 'feed-txt-length', file, path: `podcast.txt[${i}].value`, message: `is ${length} characters; the namespace allows at most ${TXT_VALUE_MAX} (aggregators cut longer values)`, hint: 'a txt entry holds a code or a short note: shorten it' });
    }
    if (t.purpose && [...t.purpose].length > NAMESPACE_TEXT_MAX) {
      problems.push({ severity: 'error', code: 'feed-txt-length', file, path: `podcast.txt[${i}].purpose`, message: `is ${[...t.purpose].length} characters; the namespace allows at most ${NAMESPACE_TEXT_MAX}`, hint: 'a purpose is a short word like "verify" or a service\'s domain' });
    }
  });
  const named: [string, string | undefined][] = [
    ['podcast.updateFrequency.text', show.podcast.updateFrequency?.text],
    ['podcast.license.identifier', show.podcast.license?.identifier],
    ...Object.entries(show.podcast.seasons).map(([n, name]): [string, string] => [`podcast.seasons.${n}`, name]),
  ];
  for (const [path, text] of named) {
    if (text && [...text].length > NAMESPACE_TEXT_MAX) {
      problems.push({ severity: 'error', code: 'feed-name-length', file, path, message: `is ${[...text].length} characters; the namespace allows at most ${NAMESPACE_TEXT_MAX}`, hint: 'shorten it (apps show it beside the title)' });
    }
  }
  return problems;
}

/** Soundbites must lie inside the published audio; the namespace recommends 15–120 s (pure). */
export function soundbiteProblems(soundbites: readonly Soundbite[], durationSeconds: number | undefined, file: string): Problem[] {
  const problems: Problem[] = [];
  soundbites.forEach((b, i) => {
    const path = `soundbites[${i}]`;
    if (durationSeconds !== undefined && b.start + b.duration > durationSeconds + 0.001) {
      problems.push({
        severity: 'error',
        code: 'feed-soundbite-outside',
        file,
        path,
        message: `${b.start}–${round1(b.start + b.duration)} s runs past the end of the episode (${round1(durationSeconds)} s)`,
        hint: 'soundbite times are seconds from the start of the published MP3, music included: check them against the build (castline build --json prints the duration)',
      });
    }
    if (b.duration < SOUNDBITE_SECONDS[0] || b.duration > SOUNDBITE_SECONDS[1]) {
      problems.push({ severity: 'warning', code: 'feed-soundbite-length', file, path: `${path}.duration`, message: `is ${b.duration} s; the namespace recommends ${SOUNDBITE_SECONDS[0]} to ${SOUNDBITE_SECONDS[1]} s`, hint: 'apps use soundbites as previews: a sentence or two, not a whole segment' });
    }
  });
  return problems;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
