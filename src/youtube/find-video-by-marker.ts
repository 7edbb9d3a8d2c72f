import type { YouTubeClient } from './create-youtube-client.js';
import { toYouTubeError } from './youtube-error.js';

/**
 * Find a video castline uploaded but never recorded (the process died between YouTube's last
 * answer and the ledger write, and the session has since expired): list the channel's uploads
 * playlist, newest first, looking for castline's marker in the description. 1 quota unit per
 * page of 50 (playlistItems.list), far cheaper than a search (100) or a duplicate upload (1600).
 */
export async function findVideoByMarker(client: YouTubeClient, marker: string, maxPages = 20): Promise<string | undefined> {
  let uploads: string | undefined;
  try {
    const channels = await client.api.channels.list({ part: ['contentDetails'], mine: true }, client.call);
    uploads = channels.data.items?.[0]?.contentDetails?.relatedPlaylists?.uploads ?? undefined;
  } catch (error) {
    throw toYouTubeError(error, 'channels.list');
  }
  if (!uploads) return undefined;
  let pageToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    let res;
    try {
      res = await client.api.playlistItems.list({ part: ['snippet'], playlistId: uploads, maxResults: 50, ...(pageToken ? { pageToken } : {}) }, client.call);
    } catch (error) {
      throw toYouTubeError(error, 'playlistItems.list');
    }
    for (const item of res.data.items ?? []) {
      if (item.snippet?.description?.includes(marker)) return item.snippet.resourceId?.videoId ?? undefined;
    }
    pageToken = res.data.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return undefined;
}
