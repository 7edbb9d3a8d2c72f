import { Podcast } from 'podcast';
import { CastlineError } from '../core/errors.js';
import { cleanText } from '../core/clean-text.js';
import type { ChannelPlan, ItemPlan, MediaPlan, PublicationPlan } from '../publication/plan-publication.js';
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
  channelElements.push(...namespaceChannelElements(c));

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
  for (const item of plan.items) feed.addItem(itemOptions(item, c));

  const xml = feed.buildXml({ indent: '  ' });
  const stable = xml.replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${rfc2822(plan.lastBuildDate)}</lastBuildDate>`);
  return `${cleanText(stable)}\n`;
}

/**
 * Channel tags of the Podcasting 2.0 namespace beyond guid/locked/funding/person, each as the
 * namespace's tag page (github.com/Podcastindex-org/podcast-namespace, docs/tags/) says.
 */
function namespaceChannelElements(c: ChannelPlan): unknown[] {
  const out: unknown[] = [];
  // medium.md: podcast is assumed when absent; written anyway so the video feed's "video" stands out.
  out.push({ 'podcast:medium': c.medium });
  // txt.md: free text, purpose ≤ 128 characters, value ≤ 4000 (castline check lints both).
  for (const t of c.txt) out.push({ 'podcast:txt': [...(t.purpose ? [{ _attr: { purpose: t.purpose } }] : []), t.value] });
  // license.md: the identifier, lower-cased, url required for a custom license.
  if (c.license) out.push({ 'podcast:license': [...(c.license.url ? [{ _attr: { url: c.license.url } }] : []), c.license.identifier.toLowerCase()] });
  // podroll.md: remoteItem by feedGuid (the one required attribute), feedUrl and title recommended.
  if (c.podroll.length) out.push({ 'podcast:podroll': c.podroll.map((r) => ({ 'podcast:remoteItem': { _attr: definedAttrs({ feedGuid: r.feedGuid, feedUrl: r.feedUrl, title: r.title }) } })) });
  // update-frequency.md: an RFC 5545 rrule and the schedule in words.
  if (c.updateFrequency) {
    const u = c.updateFrequency;
    out.push({ 'podcast:updateFrequency': [{ _attr: definedAttrs({ complete: u.complete ? 'true' : undefined, rrule: u.rrule }) }, u.text] });
  }
  // trailer.md: url and an RFC 2822 pubdate required, length and type recommended, season optional.
  for (const t of c.trailers) {
    out.push({ 'podcast:trailer': [{ _attr: definedAttrs({ pubdate: rfc2822(t.pubDate), url: t.url, length: String(t.bytes), type: t.type, season: t.season === undefined ? undefined : String(t.season) }) }, t.title] });
  }
  return out;
}

/**
 * podcast:alternateEnclosure (docs/tags/alternate-enclosure.md): `type` required, `length`
 * recommended, `height` for video, `title` ≤ 32 characters, one or more podcast:source `uri`
 * (docs/tags/source.md). `default="true"` marks the one that is the item's <enclosure>.
 */
function alternateEnclosure(media: MediaPlan & { height?: number }, title: string, isDefault: boolean): unknown {
  const attrs = definedAttrs({ type: media.type, length: String(media.bytes), height: media.height === undefined ? undefined : String(media.height), title, default: isDefault ? 'true' : undefined });
  return { 'podcast:alternateEnclosure': [{ _attr: attrs }, { 'podcast:source': { _attr: { uri: media.url } } }] };
}

function itemOptions(item: ItemPlan, c: ChannelPlan): Parameters<Podcast['addItem']>[0] {
  const elements: unknown[] = [];
  const video = c.kind === 'video';
  const enclosure = video && item.video ? item.video : item.enclosure;
  // The enclosure first as the default alternate, then the other medium, so an app that
  // reads alternateEnclosure lists both and knows which one the enclosure is.
  if (item.video && (video || c.videoAlternate)) {
    const audio = alternateEnclosure(item.enclosure, 'Audio', !video);
    const mp4 = alternateEnclosure(item.video, `Video ${item.video.height}p`, video);
    elements.push(...(video ? [mp4, audio] : [audio, mp4]));
  }
  // person.md: item persons replace the channel's (the plan restates the show's hosts first).
  for (const p of item.persons) elements.push({ 'podcast:person': [{ _attr: definedAttrs({ role: p.role, href: p.href, img: p.img }) }, p.name] });
  // soundbite.md: startTime and duration required (seconds), title ≤ 128 characters or empty.
  for (const b of item.soundbites) elements.push({ 'podcast:soundbite': [{ _attr: { startTime: seconds(b.start), duration: seconds(b.duration) } }, ...(b.title ? [b.title] : [])] });
  // season.md: the number, with the season's name when show.yaml gives one.
  if (item.season !== undefined) elements.push({ 'podcast:season': [...(item.seasonName ? [{ _attr: { name: item.seasonName } }] : []), String(item.season)] });
  if (item.number !== undefined) elements.push({ 'podcast:episode': String(item.number) });
  // Apple Podcasts RSS tags: <itunes:block>Yes</itunes:block> on an item keeps that episode off Apple Podcasts.
  if (item.block) elements.push({ 'itunes:block': 'Yes' });
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
    enclosure: { url: enclosure.url, size: enclosure.bytes, type: enclosure.type },
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

/** Seconds as the namespace writes them ("73.0", "1234.5"): at most three decimals, never exponent form. */
function seconds(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}
