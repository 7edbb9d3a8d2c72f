import type { EventEmitter } from 'node:events';

export declare const QUOTA_COST: Record<string, number>;

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** e.g. 'videos.insert', 'upload.chunk', 'upload.status', 'token'. */
  op: string | undefined;
  /** HTTP status sent; -1 when the fake dropped the connection. */
  status: number;
}

export interface FakeVideo {
  video: { id: string; snippet: Record<string, any>; status: Record<string, any> };
  sha256: string;
  bytes: number;
  data: Buffer | undefined;
  /** videos.insert notifySubscribers as sent (undefined: not sent). */
  notifySubscribers: boolean | undefined;
}

export interface UploadOutcome {
  uploadStatus: 'processed' | 'rejected' | 'failed';
  rejectionReason?: string;
  failureReason?: string;
}

export interface ChunkFault {
  /** Answer the next chunk with this status after reading it (503…), storing nothing. */
  status?: number;
  /** Drop the connection after this many body bytes of the next chunk. */
  dropAfter?: number;
  /** Store the chunk, then wait this long before answering (a stalled response). */
  stallMs?: number;
}

export interface OpFault {
  status: number;
  reason: string;
  domain?: string;
  message?: string;
}

export declare class FakeYouTube extends EventEmitter {
  constructor(options?: { clientId?: string; clientSecret?: string; refreshToken?: string; quotaLimit?: number; videosInsertLimit?: number; verified?: boolean; processAfterLists?: number; keepBytes?: boolean; channelTitle?: string; playlistPageSize?: number; chunkResponseDelayMs?: number });
  chunkResponseDelayMs: number;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  quotaLimit: number;
  quotaUsed: number;
  videosInsertLimit: number;
  videosInsertUsed: number;
  verified: boolean;
  processAfterLists: number;
  uploadOutcomes: UploadOutcome[];
  addPlaylist(playlistId: string, title?: string): void;
  studioEdit(videoId: string, parts: { snippet?: Record<string, unknown>; status?: Record<string, unknown> }): void;
  deleteVideo(videoId: string): void;
  revoked: boolean;
  origin: string;
  rootUrl: string;
  tokenUrl: string;
  channel: { id: string; title: string };
  uploadsPlaylistId: string;
  videos: Map<string, FakeVideo>;
  sessions: Map<string, { total: number; received: number; expired: boolean }>;
  playlists: Map<string, { id: string; snippet: { playlistId: string; title: string; description: string; resourceId: { videoId: string } } }[]>;
  captions: Map<string, { caption: { id: string; snippet: Record<string, any> }; data: Buffer }>;
  thumbnails: Map<string, Buffer>;
  requests: FakeRequest[];
  chunkFaults: ChunkFault[];
  start(): Promise<this>;
  stop(): Promise<void>;
  env(): Record<string, string>;
  count(op: string): number;
  writes(): FakeRequest[];
  failOp(op: string, fault: OpFault): void;
  expireSessions(): void;
  authorize(authUrl: string): string;
}
