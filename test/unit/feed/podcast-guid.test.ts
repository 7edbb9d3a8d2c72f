import { describe, expect, it } from 'vitest';
import { derivePodcastGuid, uuidV5 } from '../../../src/feed/podcast-guid.js';

describe('derivePodcastGuid', () => {
  it('matches the Podcasting 2.0 spec example', () => {
    // podcastindex-org/podcast-namespace docs/1.0.md#guid: "podcastindex.org/podcast-namespace/..."
    // example: feed https://mp3s.nashownotes.com/pc20rss.xml → 917393e3-1b1e-5cef-ace4-edaa54e1f810
    expect(derivePodcastGuid('https://mp3s.nashownotes.com/pc20rss.xml')).toBe('917393e3-1b1e-5cef-ace4-edaa54e1f810');
  });

  it('ignores the scheme and trailing slashes', () => {
    expect(derivePodcastGuid('http://example.org/feed/')).toBe(derivePodcastGuid('https://example.org/feed'));
  });

  it('is an RFC 4122 version-5 UUID (DNS namespace vector)', () => {
    // RFC 4122 namespace DNS, name "www.example.com" (Python uuid.uuid5 gives the same).
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
