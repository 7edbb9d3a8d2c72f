import { escapeHtml } from '../core/clean-text.js';
import { formatTimestamp } from '../core/clock.js';

/**
 * The block a host pastes into the newsletter ("Watch this week's episode on YouTube or listen
 * on Spotify…"): where the episode is, and its chapters with timestamps. Pure: the command
 * reads published.yaml, show.yaml and the build record, this renders.
 */

export type LinkFormat = 'markdown' | 'html' | 'text';
export const LINK_FORMATS: readonly LinkFormat[] = ['markdown', 'html', 'text'];

export interface LinkBlock {
  title: string;
  youtubeUrl: string | undefined;
  episodeUrl: string;
  spotifyUrl: string | undefined;
  appleUrl: string | undefined;
  chapters: Array<{ startTime: number; title: string }>;
}

export interface LinkBlockInput {
  id: string;
  title: string;
  baseUrl: string;
  videoId: string | undefined;
  links: { spotify?: string | undefined; apple?: string | undefined };
  chapters: ReadonlyArray<{ startTime: number; title: string }>;
}

export function planLinkBlock(input: LinkBlockInput): LinkBlock {
  return {
    title: input.title,
    // The watch URL YouTube's share button gives (youtu.be short links are the same video).
    youtubeUrl: input.videoId ? `https://www.youtube.com/watch?v=${encodeURIComponent(input.videoId)}` : undefined,
    episodeUrl: new URL(`episodes/${encodeURIComponent(input.id)}/`, input.baseUrl).href,
    spotifyUrl: input.links.spotify,
    appleUrl: input.links.apple,
    chapters: input.chapters.map((c) => ({ startTime: c.startTime, title: c.title })),
  };
}

interface Line {
  label: string;
  url: string;
}

function places(block: LinkBlock): Line[] {
  return [
    block.youtubeUrl ? { label: 'Watch on YouTube', url: block.youtubeUrl } : undefined,
    block.spotifyUrl ? { label: 'Listen on Spotify', url: block.spotifyUrl } : undefined,
    block.appleUrl ? { label: 'Listen on Apple Podcasts', url: block.appleUrl } : undefined,
    { label: 'Episode page, transcript and feed', url: block.episodeUrl },
  ].filter((l): l is Line => l !== undefined);
}

/** Markdown link text: brackets and backslashes escaped so a title cannot break the link. */
const mdText = (s: string): string => s.replace(/([\\[\]*_`])/g, '\\$1');

export function renderLinkBlock(block: LinkBlock, format: LinkFormat): string {
  const lines = places(block);
  const chapters = block.chapters.map((c) => ({ at: formatTimestamp(c.startTime), title: c.title }));
  if (format === 'html') {
    const items = lines.map((l) => `  <li><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></li>`);
    const out = [`<p><strong>${escapeHtml(block.title)}</strong></p>`, '<ul>', ...items, '</ul>'];
    if (chapters.length) out.push('<p>Chapters:</p>', '<ul>', ...chapters.map((c) => `  <li>${escapeHtml(c.at)} ${escapeHtml(c.title)}</li>`), '</ul>');
    return `${out.join('\n')}\n`;
  }
  if (format === 'markdown') {
    const out = [`**${mdText(block.title)}**`, '', ...lines.map((l) => `- [${l.label}](<${l.url}>)`)];
    if (chapters.length) out.push('', 'Chapters:', '', ...chapters.map((c) => `- ${c.at} ${mdText(c.title)}`));
    return `${out.join('\n')}\n`;
  }
  const out = [block.title, '', ...lines.map((l) => `${l.label}: ${l.url}`)];
  if (chapters.length) out.push('', 'Chapters:', ...chapters.map((c) => `${c.at} ${c.title}`));
  return `${out.join('\n')}\n`;
}
