import { posix } from 'node:path';
import { escapeHtml } from '../core/clean-text.js';
import { formatTimestamp } from '../core/clock.js';
import { formatLongDate } from '../publication/format-long-date.js';
import type { ItemPlan, PublicationPlan } from '../publication/plan-publication.js';
import { SITE_CSS_FILE, SITE_JS_FILE } from './site-assets.js';
import { transcriptParagraphs } from './vtt-text.js';

/**
 * Static pages, rendered from the same plan as the feed (so the site and the feed never
 * disagree). Pure: strings in, HTML out. Every text goes through escapeHtml; the notes HTML
 * comes escaped from the script stage's renderer. Links between pages are relative, so the
 * site works from any folder and under `castline serve`; canonical URLs are absolute.
 */

export interface PageFile {
  /** dist/-relative path. */
  path: string;
  html: string;
}

interface LayoutOptions {
  lang: string;
  title: string;
  description: string;
  canonical: string;
  /** Relative path from the page to dist/ ('' or '../../'). */
  toRoot: string;
  feedTitle: string;
  body: string;
}

function layout(o: LayoutOptions): string {
  return `<!doctype html>
<html lang="${escapeHtml(o.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<meta name="description" content="${escapeHtml(o.description)}">
<link rel="canonical" href="${escapeHtml(o.canonical)}">
<link rel="alternate" type="application/rss+xml" title="${escapeHtml(o.feedTitle)}" href="${o.toRoot}feed.xml">
<link rel="stylesheet" href="${o.toRoot}${SITE_CSS_FILE}">
<link rel="icon" href="data:,">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${o.body}
<script src="${o.toRoot}${SITE_JS_FILE}" defer></script>
</body>
</html>
`;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function subscribeLinks(plan: PublicationPlan, toRoot: string): string {
  const links = plan.channel.links;
  const entries: [string, string][] = [['RSS feed', `${toRoot}feed.xml`]];
  if (links.apple) entries.push(['Apple Podcasts', links.apple]);
  if (links.spotify) entries.push(['Spotify', links.spotify]);
  if (links.youtube) entries.push(['YouTube', links.youtube]);
  const items = entries.map(([label, href]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></li>`).join('\n');
  return `<nav class="subscribe" aria-label="Subscribe">\n<ul>\n${items}\n</ul>\n</nav>`;
}

export function renderIndexPage(plan: PublicationPlan, coverDistPath: string): PageFile {
  const c = plan.channel;
  const episodes = plan.items.length
    ? `<ol class="episodes" reversed>\n${plan.items
        .map(
          (item) => `<li>
<h3><a href="${escapeHtml(`${item.dir}/`)}">${escapeHtml(item.title)}</a></h3>
<p class="meta"><time datetime="${item.pubDate.toISOString()}">${escapeHtml(formatLongDate(isoDate(item.pubDate), c.language))}</time> · ${formatTimestamp(item.durationSeconds)}</p>
${item.summary ? `<p>${escapeHtml(item.summary)}</p>` : ''}
</li>`,
        )
        .join('\n')}\n</ol>`
    : '<p>No episodes yet.</p>';
  const body = `<main id="main">
<section class="show">
<img src="${escapeHtml(coverDistPath)}" alt="Cover art of ${escapeHtml(c.title)}" width="300" height="300">
<div>
<h1>${escapeHtml(c.title)}</h1>
<p>${escapeHtml(c.description)}</p>
${subscribeLinks(plan, '')}
</div>
</section>
<h2>Episodes</h2>
${episodes}
</main>
<footer class="site"><p>${escapeHtml(c.copyright ?? c.author)}</p></footer>`;
  return {
    path: 'index.html',
    html: layout({ lang: c.language, title: c.title, description: c.description, canonical: c.siteUrl, toRoot: '', feedTitle: c.title, body }),
  };
}

export interface EpisodePageExtras {
  /** Transcript cues (from the VTT), when there is one. */
  transcript?: string[];
}

/**
 * The episode's MP4 in a <video> player with the same captions track (site.video: player), or
 * nothing: the YouTube link above stands in for it when the host prefers it (site.video:
 * youtube) or the episode has no MP4.
 */
function videoPlayer(item: ItemPlan, rel: (distPath: string) => string, language: string): string {
  if (!item.video || !item.videoPlayer) return '';
  const poster = item.thumbnailDistPath ? ` poster="${escapeHtml(rel(item.thumbnailDistPath))}"` : '';
  const track = item.vtt ? `\n<track kind="captions" src="${escapeHtml(rel(item.vtt.distPath))}" srclang="${escapeHtml(language.slice(0, 2))}" label="Captions">` : '';
  return `<section aria-labelledby="video-title">
<h2 id="video-title">Video</h2>
<video id="video" controls preload="none" playsinline${poster} width="${Math.round((item.video.height * 16) / 9)}" height="${item.video.height}" src="${escapeHtml(rel(item.video.distPath))}">${track}
<a href="${escapeHtml(rel(item.video.distPath))}">Download the video (MP4)</a>
</video>
</section>`;
}

export function renderEpisodePage(plan: PublicationPlan, item: ItemPlan, extras: EpisodePageExtras = {}): PageFile {
  const c = plan.channel;
  const toRoot = '../'.repeat(item.dir.split('/').length);
  const rel = (distPath: string): string => posix.relative(item.dir, distPath).split('/').map(encodeURIComponent).join('/');
  const corrections = item.corrections.length
    ? `<aside class="correction" aria-labelledby="correction-title">
<h2 id="correction-title">Correction${item.corrections.length > 1 ? 's' : ''}</h2>
${[...item.corrections]
  .sort((a, b) => (a.date < b.date ? 1 : -1))
  .map((k) => `<p><time datetime="${escapeHtml(k.date)}">${escapeHtml(formatLongDate(k.date, c.language))}</time>: ${escapeHtml(k.text)}</p>`)
  .join('\n')}
</aside>`
    : '';
  const track = item.vtt
    ? `\n<track kind="captions" src="${escapeHtml(rel(item.vtt.distPath))}" srclang="${escapeHtml(c.language.slice(0, 2))}" label="Transcript" default>`
    : '';
  const chapters = item.chapters.length
    ? `<section aria-labelledby="chapters-title">
<h2 id="chapters-title">Chapters</h2>
<ol class="chapters">
${item.chapters
  .map((ch) => {
    const img = item.chapterImages[ch.id];
    // The chapter's picture (the video's frame for it): decorative beside the title, so alt="".
    const picture = img ? `<img src="${escapeHtml(rel(img))}" alt="" width="128" height="72" loading="lazy"> ` : '';
    return `<li><button type="button" data-start="${ch.startTime}">${picture}<span class="time">${formatTimestamp(ch.startTime)}</span> <span>${escapeHtml(ch.title)}</span></button></li>`;
  })
  .join('\n')}
</ol>
</section>`
    : '';
  const paragraphs = extras.transcript?.length ? transcriptParagraphs(extras.transcript) : [];
  const transcript = paragraphs.length
    ? `<section aria-labelledby="transcript-title">
<h2 id="transcript-title">Transcript</h2>
<div class="transcript" tabindex="0">
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</div>
</section>`
    : '';
  const body = `<header class="site"><a href="${toRoot}">${escapeHtml(c.title)}</a></header>
<main id="main">
<article>
<h1>${escapeHtml(item.title)}</h1>
<p class="meta"><time datetime="${item.pubDate.toISOString()}">${escapeHtml(formatLongDate(isoDate(item.pubDate), c.language))}</time> · ${formatTimestamp(item.durationSeconds)}${item.number !== undefined ? ` · Episode ${item.number}` : ''}</p>
${corrections}
<audio id="player" controls preload="metadata" src="${escapeHtml(rel(item.enclosure.distPath))}" aria-label="Play ${escapeHtml(item.title)}">${track}
<a href="${escapeHtml(rel(item.enclosure.distPath))}">Download the episode (MP3)</a>
</audio>
<p><a href="${escapeHtml(rel(item.enclosure.distPath))}" download>Download MP3</a>${item.youtubeUrl ? ` · <a href="${escapeHtml(item.youtubeUrl)}">Watch on YouTube</a>` : ''}</p>
${videoPlayer(item, rel, c.language)}
${chapters}
<section aria-labelledby="notes-title">
<h2 id="notes-title">Show notes</h2>
${item.notesHtml}
</section>
${transcript}
</article>
</main>
<footer class="site"><p>${escapeHtml(c.copyright ?? c.author)}</p></footer>`;
  return {
    path: `${item.dir}/index.html`,
    html: layout({ lang: c.language, title: `${item.title} · ${c.title}`, description: item.summary, canonical: item.pageUrl, toRoot, feedTitle: c.title, body }),
  };
}
