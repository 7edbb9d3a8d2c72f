import { Podcast } from 'podcast';
import { CastlineError } from '../core/errors.js';
import { cleanText } from '../core/clean-text.js';
import type { PublicationPlan, ItemPlan } from '../publication/plan-publication.js';
import { rfc2822 } from '../publication/publication-time.js';

/**
 * Print a feed plan as RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, using the
 * `podcast` package for the document and escaping, and closing its gaps:
 * - it writes `lastBuildDate` from the clock: replaced with the plan's content-derived date;
 * - it writes an empty `itunes:owner` when none is given: refused here (Spotify mails the
 *   claim code to that address);
 * - it passes control characters through: every text is cleaned (XML 1.0 §2.2) before and
 *   the whole document after;
 * - it puts `itunes:new-feed-url` on items only: written on the channel, where Apple reads it;
 * - it never hands `imageUrl` to the RSS layer, so RSS 2.0 `<image>` is missing: added here.
 */
export function buildFeedXml(plan: PublicationPlan): string {
  const c = plan.channel;
  if (!c.owner.name || !c.owner.email) {
    throw new CastlineError('feed-owner', 'show.yaml owner needs a name and an email for itunes:owner', {
      hint: 'set owner.name and owner.email in show.yaml (Spotify sends the claim code to that address)',
    });
  }
  // RSS 2.0 <image>: url, title and link must match the channel's (RSS 2.0 spec, "<image>").
  const channelElements: unknown[] = [{ image: [{ url: c.coverUrl }, { title: c.title }, { link: c.siteUrl }] }, { 'podcast:guid': c.podcastGuid }];
  // podcast:locked: "yes" tells other platforms not to import the feed without the owner's consent.
  channelElements.push({ 'podcast:locked': [{ _attr: { owner: c.owner.email } }, c.locked ? 'yes' : 'no'] });
  for (const f of c.funding) channelElements.push({ 'podcast:funding': [{ _attr: { url: f.url } }, f.text] });
  for (const p of c.persons) channelElements.push({ 'podcast:person': [{ _attr: definedAttrs({ role: p.role, href: p.href, img: p.img }) }, p.name] });
  if (c.newFeedUrl) channelElements.push({ 'itunes:new-feed-url': c.newFeedUrl });

  const feed = new Podcast({
    title: c.title,
    description: c.description,
    feedUrl: c.feedUrl,
    // The RSS layer prints atom:link rel="self" from feedUrl and rel="hub" from hub: WebSub
    // discovery needs both (W3C WebSub §4: a topic URL and at least one hub).
    ...(c.websubHub ? { hub: c.websubHub } : {}),
    siteUrl: c.siteUrl,
    imageUrl: c.coverUrl,
    language: c.language,
    ...(c.copyright ? { copyright: c.copyright } : {}),
    // No `author`: the RSS layer would print a channel <author>, which RSS 2.0 does not define
    // (feed validators flag it); itunes:author carries it instead.
    generator: 'castline',
    ...(plan.items[0] ? { pubDate: plan.items[0].pubDate } : {}),
    itunesAuthor: c.author,
    itunesSummary: c.description,
    itunesOwner: { name: c.owner.name, email: c.owner.email },
    itunesExplicit: c.explicit,
    itunesCategory: c.categories,
    itunesImage: c.coverUrl,
    itunesType: c.type,
    customElements: channelElements,
    // psc (Podlove simple chapters) is not used: chapters are podcast:chapters JSON.
    namespaces: { iTunes: true, podcast: true, simpleChapters: false },
  });
  for (const item of plan.items) feed.addItem(itemOptions(item));

  const xml = feed.buildXml({ indent: '  ' });
  const stable = xml.replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${rfc2822(plan.lastBuildDate)}</lastBuildDate>`);
  return `${cleanText(stable)}\n`;
}

function itemOptions(item: ItemPlan): Parameters<Podcast['addItem']>[0] {
  const elements: unknown[] = [];
  if (item.chaptersUrl) elements.push({ 'podcast:chapters': { _attr: { url: item.chaptersUrl, type: 'application/json+chapters' } } });
  // podcast:transcript: rel="captions" marks a file with timing, shown in sync with playback.
  if (item.vtt) elements.push({ 'podcast:transcript': { _attr: { url: item.vtt.url, type: 'text/vtt', rel: 'captions' } } });
  if (item.srt) elements.push({ 'podcast:transcript': { _attr: { url: item.srt.url, type: 'application/x-subrip', rel: 'captions' } } });
  return {
    title: item.title,
    description: item.descriptionHtml,
    content: item.contentHtml,
    url: item.pageUrl,
    guid: item.guid,
    date: item.pubDate,
    enclosure: { url: item.enclosure.url, size: item.enclosure.bytes, type: item.enclosure.type },
    // Seconds, which Apple accepts and which no HH:MM:SS rounding can get wrong.
    itunesDuration: String(item.durationSeconds),
    itunesExplicit: item.explicit,
    itunesSummary: item.summary,
    itunesEpisodeType: item.episodeType,
    ...(item.number !== undefined ? { itunesEpisode: item.number } : {}),
    ...(item.season !== undefined ? { itunesSeason: item.season } : {}),
    ...(item.imageUrl ? { itunesImage: item.imageUrl } : {}),
    customElements: elements,
  };
}

function definedAttrs(attrs: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).filter((e): e is [string, string] => e[1] !== undefined));
}
