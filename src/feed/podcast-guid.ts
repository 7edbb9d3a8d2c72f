import { createHash } from 'node:crypto';

/** Podcasting 2.0 `podcast:guid` namespace (podcastindex namespace, docs/1.0.md#guid). */
export const PODCAST_GUID_NAMESPACE = 'ead4c236-bf58-58c6-a2c6-a6b28d128cb6';

/**
 * The podcast:guid of a feed: UUIDv5 (RFC 4122 §4.3, SHA-1) of the feed URL with the scheme
 * and trailing slashes removed, in the Podcasting 2.0 namespace. Computed once and then
 * stored (the show ledger), because the URL may change later and the GUID must not.
 */
export function derivePodcastGuid(feedUrl: string): string {
  const name = feedUrl.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '').replace(/\/+$/, '');
  return uuidV5(name, PODCAST_GUID_NAMESPACE);
}

export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
