import type { Rule } from '../config/check-rules.js';
import type { Problem } from '../core/errors.js';
import { byteLength } from '../core/clean-text.js';
import { DESCRIPTION_MAX_BYTES } from '../publication/plan-publication.js';

/**
 * `castline check` rules for what the feed will say (Apple Podcasts' RSS requirements,
 * Spotify's delivery spec, the Podcasting 2.0 namespace). Cover size/format/squareness are
 * checked by the core cover rule (check-rules.ts); these are the feed-only ones.
 */
// Apple: "Don't specify the episode number in the title" (itunes:episode carries it).
const NUMBER_IN_TITLE = /^\s*(#\s*\d+|(ep(isode)?\.?|folge|épisode)\s*#?\s*\d+)\b|\b(ep(isode)?\.?)\s*#?\s*\d+\s*$/i;

export const feedLintRule: Rule = (ctx) => {
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
  for (const ep of ctx.episodes) {
    const file = `episodes/${ep.id}/episode.yaml`;
    const config = ep.config;
    if (!config) continue;
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

