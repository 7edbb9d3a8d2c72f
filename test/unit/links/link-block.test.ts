import { describe, expect, it } from 'vitest';
import { planLinkBlock, renderLinkBlock } from '../../../src/links/link-block.js';

const block = planLinkBlock({
  id: '2024-02-09-weekly',
  title: 'Issue #42: <SAEs> & [friends]',
  baseUrl: 'https://example.org/show/',
  videoId: 'dQw4w9WgXcQ',
  links: { spotify: 'https://open.spotify.com/show/abc', apple: 'https://podcasts.apple.com/podcast/id1' },
  chapters: [
    { startTime: 0, title: 'Intro' },
    { startTime: 65.9, title: 'Sparse autoencoders & more' },
    { startTime: 3725, title: 'Outro' },
  ],
});

describe('the newsletter link block', () => {
  it('plans the YouTube watch URL and the episode page under site.baseUrl', () => {
    expect(block.youtubeUrl).toBe('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    expect(block.episodeUrl).toBe('https://example.org/show/episodes/2024-02-09-weekly/');
  });
  it('renders plain text', () => {
    expect(renderLinkBlock(block, 'text')).toBe(`Issue #42: <SAEs> & [friends]

Watch on YouTube: https://www.youtube.com/watch?v=dQw4w9WgXcQ
Listen on Spotify: https://open.spotify.com/show/abc
Listen on Apple Podcasts: https://podcasts.apple.com/podcast/id1
Episode page, transcript and feed: https://example.org/show/episodes/2024-02-09-weekly/

Chapters:
0:00 Intro
1:05 Sparse autoencoders & more
1:02:05 Outro
`);
  });
  it('renders markdown with escaped titles', () => {
    expect(renderLinkBlock(block, 'markdown')).toBe(`**Issue #42: <SAEs> & \\[friends\\]**

- [Watch on YouTube](<https://www.youtube.com/watch?v=dQw4w9WgXcQ>)
- [Listen on Spotify](<https://open.spotify.com/show/abc>)
- [Listen on Apple Podcasts](<https://podcasts.apple.com/podcast/id1>)
- [Episode page, transcript and feed](<https://example.org/show/episodes/2024-02-09-weekly/>)

Chapters:

- 0:00 Intro
- 1:05 Sparse autoencoders & more
- 1:02:05 Outro
`);
  });
  it('renders HTML with every text escaped', () => {
    const html = renderLinkBlock(block, 'html');
    expect(html).toContain('<p><strong>Issue #42: &lt;SAEs&gt; &amp; [friends]</strong></p>');
    expect(html).toContain('  <li><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Watch on YouTube</a></li>');
    expect(html).toContain('  <li>1:05 Sparse autoencoders &amp; more</li>');
    expect(html).not.toMatch(/<SAEs>/);
  });
  it('leaves out what the show does not have', () => {
    const bare = planLinkBlock({ id: 'e', title: 'T', baseUrl: 'https://x.example/', videoId: undefined, links: {}, chapters: [] });
    expect(renderLinkBlock(bare, 'text')).toBe('T\n\nEpisode page, transcript and feed: https://x.example/episodes/e/\n');
  });
});
