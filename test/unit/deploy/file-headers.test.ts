import { describe, expect, it } from 'vitest';
import { headersFor } from '../../../src/deploy/file-headers.js';

describe('headersFor', () => {
  it('gives each kind of file its Content-Type and a Cache-Control that fits how often it changes', () => {
    expect(headersFor('feed.xml')).toEqual({ contentType: 'application/rss+xml; charset=utf-8', cacheControl: 'public, max-age=300' });
    expect(headersFor('index.html')).toEqual({ contentType: 'text/html; charset=utf-8', cacheControl: 'public, max-age=300' });
    expect(headersFor('episodes/a/a.mp3')).toEqual({ contentType: 'audio/mpeg', cacheControl: 'public, max-age=604800' });
    expect(headersFor('episodes/a/a.mp4')).toEqual({ contentType: 'video/mp4', cacheControl: 'public, max-age=604800' });
    expect(headersFor('episodes/a/thumbnail.jpg').contentType).toBe('image/jpeg');
    expect(headersFor('episodes/a/chapters.json')).toEqual({ contentType: 'application/json', cacheControl: 'public, max-age=3600' });
    expect(headersFor('episodes/a/transcript.vtt').contentType).toBe('text/vtt; charset=utf-8');
    expect(headersFor('episodes/a/transcript.srt').contentType).toBe('application/x-subrip; charset=utf-8');
    expect(headersFor('site.css')).toEqual({ contentType: 'text/css; charset=utf-8', cacheControl: 'public, max-age=86400' });
    expect(headersFor('.castline/deploy.json').cacheControl).toBe('no-store');
  });
});
