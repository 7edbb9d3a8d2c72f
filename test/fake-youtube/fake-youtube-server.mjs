// FakeYouTube: a local stand-in for the YouTube Data API v3 and Google's OAuth token endpoint,
// strict about the parts of the protocol castline relies on (node:http on 127.0.0.1, ephemeral
// port). Plain ESM JavaScript (typed by fake-youtube-server.d.mts) so both the vitest suites and
// scripts/bench-upload.mjs can load it without a compile step.
//
// Protocol followed (https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
// - POST /upload/youtube/v3/videos?uploadType=resumable&part=… with the video resource as JSON,
//   X-Upload-Content-Length / X-Upload-Content-Type → 200 with the session URI in Location.
// - PUT <session> with Content-Length and Content-Range `bytes a-b/total`; non-final chunks must
//   be multiples of 256 KiB; → 308 Resume Incomplete with `Range: bytes=0-N` (no Range header
//   when nothing is stored), or 200/201 with the video resource when the last byte arrives.
// - PUT <session> with `Content-Range: bytes */total` and no body → the status, as above.
// - An expired session → 404.
// - Errors use Google's JSON shape: { error: { code, message, errors: [{ domain, reason, message }] } }.
// - Quota per https://developers.google.com/youtube/v3/determine_quota_cost: two buckets a day,
//   100 videos.insert calls of their own (1 each, charged when the upload session starts) and
//   10,000 units for every other method.
// - videos.update replaces every mutable property of each part it sends; read-only properties
//   (uploadStatus, channelId…) stay (https://developers.google.com/youtube/v3/guides/implementation/partial).
// - A new video is `uploaded` (processingStatus `processing`) until videos.list has looked at it
//   `processAfterLists` times; then `processed`, or `rejected`/`failed` with a reason when a test
//   queued that outcome (status.uploadStatus / rejectionReason / failureReason of the videos resource).
// - An unverified channel (`verified: false`) gets 403 forbidden from thumbnails.set.
// - Playlists must exist (playlists.list, playlistItems.insert → 404 playlistNotFound otherwise).
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

const GRANULE = 256 * 1024;

/** Units per call; videos.insert is not here: it has its own bucket of calls. */
export const QUOTA_COST = {
  'videos.list': 1,
  'videos.update': 50,
  'thumbnails.set': 50,
  'captions.insert': 400,
  'captions.update': 450,
  'captions.list': 50,
  'playlistItems.insert': 50,
  'playlistItems.list': 1,
  'channels.list': 1,
  'playlists.list': 1,
};

const MUTABLE = {
  snippet: ['title', 'description', 'tags', 'categoryId', 'defaultLanguage', 'defaultAudioLanguage'],
  status: ['privacyStatus', 'publishAt', 'selfDeclaredMadeForKids', 'containsSyntheticMedia', 'license', 'embeddable', 'publicStatsViewable'],
};

function googleError(code, reason, message, domain = 'youtube.video', extra = {}) {
  return { error: { code, message, errors: [{ message, domain, reason, ...extra }], status: statusName(code) } };
}

function statusName(code) {
  return { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND' }[code] ?? 'UNKNOWN';
}

function id(n) {
  return randomBytes(n).toString('base64url').slice(0, n);
}

export class FakeYouTube extends EventEmitter {
  constructor(options = {}) {
    super();
    this.clientId = options.clientId ?? 'fake-client-id.apps.googleusercontent.com';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret-XYZ';
    this.refreshToken = options.refreshToken ?? `1//fake-refresh-${id(24)}`;
    this.quotaLimit = options.quotaLimit ?? 10000;
    /** The separate videos.insert bucket: calls a day. */
    this.videosInsertLimit = options.videosInsertLimit ?? 100;
    this.videosInsertUsed = 0;
    /** false: an unverified channel (no custom thumbnails). */
    this.verified = options.verified ?? true;
    /** videos.list looks before a new video's processing ends. */
    this.processAfterLists = options.processAfterLists ?? 1;
    /** Outcomes for the next uploads, in order: { uploadStatus: 'rejected', rejectionReason } or { uploadStatus: 'failed', failureReason }. */
    this.uploadOutcomes = [];
    /** Keep uploaded bytes in memory (tests) or only their hash (bench). */
    this.keepBytes = options.keepBytes ?? true;
    this.channel = { id: 'UCfakechannel0000000000', title: options.channelTitle ?? 'Fake Channel' };
    this.uploadsPlaylistId = `UU${this.channel.id.slice(2)}`;
    this.quotaUsed = 0;
    this.videos = new Map();
    this.sessions = new Map();
    this.playlists = new Map([[this.uploadsPlaylistId, []]]);
    /** Playlists the channel owns (besides uploads): id → title. */
    this.playlistTitles = new Map();
    this.captions = new Map();
    this.thumbnails = new Map();
    this.accessTokens = new Set();
    this.codes = new Map();
    this.revoked = false;
    /** Every request: { method, path, query, op, status }. */
    this.requests = [];
    /** Failures to inject into upload chunks: { status } (e.g. 503) or { dropAfter: bytes }. */
    this.chunkFaults = [];
    /** Errors to return for the next call of an operation: op → [{ status, reason, domain }]. */
    this.opFaults = new Map();
    this.playlistPageSize = options.playlistPageSize ?? 50;
    /** Wait this long before answering each stored chunk (gives tests time to kill a client mid-upload). */
    this.chunkResponseDelayMs = options.chunkResponseDelayMs ?? 0;
    this.server = createServer((req, res) => {
      this.#handle(req, res).catch((error) => {
        if (!res.headersSent) this.#json(res, 500, googleError(500, 'backendError', String(error), 'global'));
        else res.destroy();
      });
    });
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address();
    this.origin = `http://127.0.0.1:${port}`;
    this.rootUrl = `${this.origin}/`;
    this.tokenUrl = `${this.origin}/token`;
    return this;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Environment for the CLI: endpoints and headless credentials. */
  env() {
    return {
      CASTLINE_YOUTUBE_ROOT_URL: this.rootUrl,
      CASTLINE_OAUTH_TOKEN_URL: this.tokenUrl,
      CASTLINE_YOUTUBE_CLIENT_ID: this.clientId,
      CASTLINE_YOUTUBE_CLIENT_SECRET: this.clientSecret,
      CASTLINE_YOUTUBE_REFRESH_TOKEN: this.refreshToken,
    };
  }

  /** Calls of one operation (e.g. 'videos.insert') that succeeded (2xx, or 308 for chunks). */
  count(op) {
    return this.requests.filter((r) => r.op === op && r.status > 0 && r.status < 400).length;
  }

  /** Operations that change something (anything but token, list and upload-status calls). */
  writes() {
    return this.requests.filter((r) => r.status < 400 && r.op && !/\.list$|^token$|^upload\.(status|chunk)$/.test(r.op));
  }

  failOp(op, fault) {
    const list = this.opFaults.get(op) ?? [];
    list.push(fault);
    this.opFaults.set(op, list);
  }

  /** A playlist on the channel, as the host made it in Studio. */
  addPlaylist(playlistId, title = 'Podcast') {
    this.playlistTitles.set(playlistId, title);
    if (!this.playlists.has(playlistId)) this.playlists.set(playlistId, []);
  }

  /** The host edits the video in YouTube Studio: parts merged property by property. */
  studioEdit(videoId, parts) {
    const stored = this.videos.get(videoId);
    if (!stored) throw new Error(`studioEdit: no video ${videoId}`);
    if (parts.snippet) Object.assign(stored.video.snippet, parts.snippet);
    if (parts.status) Object.assign(stored.video.status, parts.status);
  }

  /** The host deletes the video in YouTube Studio. */
  deleteVideo(videoId) {
    this.videos.delete(videoId);
    for (const list of this.playlists.values()) {
      const i = list.findIndex((item) => item.snippet.resourceId.videoId === videoId);
      if (i >= 0) list.splice(i, 1);
    }
  }

  expireSessions() {
    for (const s of this.sessions.values()) s.expired = true;
  }

  /** Simulate the user consenting in the browser: returns the redirect URL with a code. */
  authorize(authUrl) {
    const u = new URL(authUrl);
    const p = u.searchParams;
    if (p.get('client_id') !== this.clientId) throw new Error('authorize: wrong client_id');
    if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) throw new Error('authorize: PKCE S256 challenge missing');
    const redirect = p.get('redirect_uri');
    if (!redirect || !/^http:\/\/127\.0\.0\.1:\d+/.test(redirect)) throw new Error(`authorize: redirect_uri must be a loopback IP address, got ${redirect}`);
    const code = `4/fake-code-${id(16)}`;
    this.codes.set(code, { challenge: p.get('code_challenge'), redirect });
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    if (p.get('state')) back.searchParams.set('state', p.get('state'));
    back.searchParams.set('scope', p.get('scope') ?? '');
    return back.toString();
  }

  // ---- request handling ----

  async #handle(req, res) {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    const q = url.searchParams;
    const entry = { method: req.method, path, query: Object.fromEntries(q), op: undefined, status: 0 };
    this.requests.push(entry);
    const send = (status, body, headers = {}) => {
      entry.status = status;
      if (body === undefined) {
        res.writeHead(status, { 'content-length': '0', ...headers });
        res.end();
      } else this.#json(res, status, body, headers);
    };

    if (path === '/token' && req.method === 'POST') {
      entry.op = 'token';
      return this.#token(await readBody(req), send);
    }

    // Everything else needs a valid bearer token.
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1];
    if (!token || !this.accessTokens.has(token)) {
      await drain(req);
      return send(401, googleError(401, 'authError', 'Request had invalid authentication credentials.', 'global', { location: 'Authorization', locationType: 'header' }));
    }

    if (path === '/upload/youtube/v3/videos' && req.method === 'PUT' && q.get('upload_id')) {
      return this.#uploadPut(req, q.get('upload_id'), entry, send);
    }
    const route = `${req.method} ${path}`;
    const ops = {
      'POST /upload/youtube/v3/videos': 'videos.insert',
      'GET /youtube/v3/videos': 'videos.list',
      'PUT /youtube/v3/videos': 'videos.update',
      'POST /upload/youtube/v3/thumbnails/set': 'thumbnails.set',
      'POST /upload/youtube/v3/captions': 'captions.insert',
      'PUT /upload/youtube/v3/captions': 'captions.update',
      'GET /youtube/v3/captions': 'captions.list',
      'POST /youtube/v3/playlistItems': 'playlistItems.insert',
      'GET /youtube/v3/playlistItems': 'playlistItems.list',
      'GET /youtube/v3/channels': 'channels.list',
      'GET /youtube/v3/playlists': 'playlists.list',
    };
    const op = ops[route];
    entry.op = op;
    if (!op) {
      await drain(req);
      return send(404, googleError(404, 'notFound', `No route ${route}`, 'global'));
    }
    const body = await readBody(req);
    const fault = this.opFaults.get(op)?.shift();
    if (fault) return send(fault.status, googleError(fault.status, fault.reason, fault.message ?? fault.reason, fault.domain ?? 'youtube.video'));
    // videos.insert is charged when the session is created (and only then), in its own bucket.
    const insert = op === 'videos.insert';
    const cost = insert ? 0 : (QUOTA_COST[op] ?? 1);
    if (insert ? this.videosInsertUsed + 1 > this.videosInsertLimit : this.quotaUsed + cost > this.quotaLimit) {
      return send(403, googleError(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.', 'youtube.quota'));
    }
    const result = this[`op_${op.replace('.', '_')}`](q, body, req);
    if (result.status < 300) {
      if (insert) this.videosInsertUsed++;
      else this.quotaUsed += cost;
    }
    return send(result.status, result.body, result.headers);
  }

  #token(body, send) {
    const p = new URLSearchParams(body.toString('utf8'));
    if (p.get('client_id') !== this.clientId || p.get('client_secret') !== this.clientSecret) {
      return send(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    if (p.get('grant_type') === 'refresh_token') {
      if (this.revoked || p.get('refresh_token') !== this.refreshToken) {
        return send(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      }
      return send(200, this.#issueToken());
    }
    if (p.get('grant_type') === 'authorization_code') {
      const grant = this.codes.get(p.get('code') ?? '');
      if (!grant) return send(400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      this.codes.delete(p.get('code'));
      const verifier = p.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== grant.challenge) return send(400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      if (p.get('redirect_uri') !== grant.redirect) return send(400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      return send(200, { ...this.#issueToken(), refresh_token: this.refreshToken });
    }
    return send(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' });
  }

  #issueToken() {
    const token = `ya29.fake-${id(32)}`;
    this.accessTokens.add(token);
    return { access_token: token, expires_in: 3599, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/youtube.force-ssl https://www.googleapis.com/auth/youtube.upload' };
  }

  // ---- videos ----

  op_videos_insert(q, body, req) {
    if (q.get('uploadType') !== 'resumable') return { status: 400, body: googleError(400, 'badRequest', 'castline fake: only uploadType=resumable is supported', 'global') };
    const total = Number(req.headers['x-upload-content-length']);
    if (!Number.isInteger(total) || total <= 0) return { status: 400, body: googleError(400, 'badRequest', 'X-Upload-Content-Length is required', 'global') };
    const type = String(req.headers['x-upload-content-type'] ?? '');
    if (!/^video\/|^application\/octet-stream$/.test(type)) return { status: 400, body: googleError(400, 'invalidContentType', 'X-Upload-Content-Type must be video/*', 'youtube.video') };
    let resource;
    try {
      resource = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: googleError(400, 'parseError', 'Parse Error', 'global') };
    }
    const invalid = validateSnippet(resource.snippet, false) ?? validateStatus(resource.status);
    if (invalid) return { status: 400, body: invalid };
    const uploadId = id(40);
    const notify = q.get('notifySubscribers');
    this.sessions.set(uploadId, { total, received: 0, hash: createHash('sha256'), chunks: [], resource, parts: q.get('part'), notifySubscribers: notify === null ? undefined : notify === 'true', expired: false, video: undefined });
    return { status: 200, headers: { location: `${this.origin}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${uploadId}` } };
  }

  async #uploadPut(req, uploadId, entry, send) {
    const s = this.sessions.get(uploadId);
    const range = String(req.headers['content-range'] ?? '');
    const status = /^bytes \*\/(\d+)$/.exec(range);
    entry.op = status ? 'upload.status' : 'upload.chunk';
    if (!s || s.expired) {
      await drain(req);
      return send(404, googleError(404, 'notFound', 'The upload session was not found or has expired.', 'global'));
    }
    const done = () => send(200, s.video);
    const incomplete = () => send(308, undefined, s.received > 0 ? { range: `bytes=0-${s.received - 1}` } : {});
    if (status) {
      await drain(req);
      if (Number(status[1]) !== s.total) return send(400, googleError(400, 'badRequest', 'Total size does not match the session', 'global'));
      return s.video ? done() : incomplete();
    }
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    const length = Number(req.headers['content-length']);
    if (!m || !Number.isInteger(length)) {
      await drain(req);
      return send(400, googleError(400, 'badRequest', 'Content-Range bytes a-b/total and Content-Length are required', 'global'));
    }
    const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const final = end + 1 === total;
    let problem;
    if (total !== s.total) problem = 'Total size does not match X-Upload-Content-Length';
    else if (start !== s.received) problem = `Chunk starts at ${start} but the server has ${s.received} bytes: query the status first`;
    else if (end < start || length !== end - start + 1) problem = 'Content-Length does not match Content-Range';
    else if (!final && length % GRANULE !== 0) problem = 'Non-final chunks must be multiples of 256 KiB';
    if (problem) {
      await drain(req);
      return send(400, googleError(400, 'badRequest', problem, 'global'));
    }
    if (s.video) {
      await drain(req);
      return done();
    }
    const fault = this.chunkFaults.shift();
    // Bytes are stored in whole 256 KiB granules (and at the end of the file), so a dropped
    // connection leaves the server with a prefix the client learns from the status query.
    // The hash runs as bytes arrive, with a copy at each granule boundary to fall back to.
    let got = 0;
    let live = s.received;
    let snapshot = { hash: s.hash.copy(), at: s.received };
    const take = (buf) => {
      while (buf.length) {
        const n = Math.min(GRANULE - (live % GRANULE), buf.length);
        const part = buf.subarray(0, n);
        s.hash.update(part);
        if (this.keepBytes) s.chunks.push(part);
        live += n;
        if (live % GRANULE === 0) snapshot = { hash: s.hash.copy(), at: live };
        buf = buf.subarray(n);
      }
    };
    const rollback = () => {
      s.hash = snapshot.hash;
      if (this.keepBytes) {
        let extra = live - snapshot.at;
        while (extra > 0) extra -= s.chunks.pop().length;
      }
      s.received = snapshot.at;
    };
    const ok = await new Promise((resolve) => {
      req.on('data', (buf) => {
        if (fault?.dropAfter !== undefined && got + buf.length > fault.dropAfter) {
          if (!fault.status) take(buf.subarray(0, Math.max(0, fault.dropAfter - got)));
          got = fault.dropAfter;
          entry.status = -1;
          req.socket.destroy();
          resolve(false);
          return;
        }
        got += buf.length;
        if (!fault?.status) take(buf);
        this.emit('progress', { uploadId, received: live, total: s.total });
      });
      req.on('end', () => resolve(true));
      req.on('error', () => resolve(false));
      req.on('close', () => resolve(false));
    });
    if (!ok) {
      // The client went away mid-chunk: keep the whole granules, as Google keeps what it stored.
      rollback();
      return;
    }
    if (fault?.status) return send(fault.status, googleError(fault.status, 'backendError', 'Backend Error', 'global'));
    s.received = live;
    if (fault?.stallMs) await new Promise((resolve) => setTimeout(resolve, fault.stallMs));
    if (this.chunkResponseDelayMs) await new Promise((resolve) => setTimeout(resolve, this.chunkResponseDelayMs));
    if (s.received < s.total) return incomplete();
    const video = this.#createVideo(s);
    s.video = video;
    return done();
  }

  #createVideo(s) {
    const videoId = id(11);
    const snippet = {
      title: 'unknown', description: '', tags: [], categoryId: '22', ...s.resource.snippet,
      channelId: this.channel.id, channelTitle: this.channel.title, publishedAt: new Date().toISOString(),
    };
    const status = { privacyStatus: 'public', ...s.resource.status, uploadStatus: 'uploaded' };
    const sha256 = s.hash.digest('hex');
    const video = { kind: 'youtube#video', id: videoId, snippet, status, processingDetails: { processingStatus: 'processing' } };
    const outcome = this.uploadOutcomes.shift() ?? { uploadStatus: 'processed' };
    this.videos.set(videoId, { video, sha256, bytes: s.total, data: this.keepBytes ? Buffer.concat(s.chunks) : undefined, notifySubscribers: s.notifySubscribers, lists: 0, outcome });
    s.chunks = [];
    this.playlists.get(this.uploadsPlaylistId).unshift(this.#playlistItem(this.uploadsPlaylistId, videoId, snippet));
    this.emit('video', video);
    return video;
  }

  #playlistItem(playlistId, videoId, snippet) {
    return {
      kind: 'youtube#playlistItem',
      id: id(22),
      snippet: { playlistId, title: snippet.title, description: snippet.description, resourceId: { kind: 'youtube#video', videoId } },
    };
  }

  op_videos_list(q) {
    const ids = (q.get('id') ?? '').split(',').filter(Boolean);
    const parts = q.getAll('part').flatMap((p) => p.split(',')).filter(Boolean);
    if (!parts.length) return { status: 400, body: googleError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: part', 'global') };
    const items = [];
    for (const v of ids) {
      const stored = this.videos.get(v);
      if (!stored) continue;
      this.#advanceProcessing(stored);
      // Only the parts asked for, as YouTube answers.
      const item = { kind: 'youtube#video', id: v };
      for (const p of parts) if (stored.video[p]) item[p] = structuredClone(stored.video[p]);
      items.push(item);
    }
    return { status: 200, body: { kind: 'youtube#videoListResponse', items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } } };
  }

  #advanceProcessing(stored) {
    if (stored.video.status.uploadStatus !== 'uploaded') return;
    stored.lists++;
    if (stored.lists < this.processAfterLists) return;
    const { uploadStatus, rejectionReason, failureReason } = stored.outcome;
    stored.video.status.uploadStatus = uploadStatus;
    if (rejectionReason) stored.video.status.rejectionReason = rejectionReason;
    if (failureReason) stored.video.status.failureReason = failureReason;
    stored.video.processingDetails = { processingStatus: uploadStatus === 'processed' ? 'succeeded' : uploadStatus === 'failed' ? 'failed' : 'terminated', ...(failureReason ? { processingFailureReason: 'other' } : {}) };
  }

  op_videos_update(q, body) {
    const parts = q.getAll('part').flatMap((p) => p.split(','));
    const resource = JSON.parse(body.toString('utf8') || '{}');
    const stored = this.videos.get(resource.id);
    if (!stored) return { status: 404, body: googleError(404, 'videoNotFound', 'The video that you are trying to update cannot be found.') };
    if (parts.includes('snippet')) {
      // videos.update replaces the snippet whole; categoryId and title are required.
      const invalid = validateSnippet(resource.snippet, true);
      if (invalid) return { status: 400, body: invalid };
      // Every mutable property is replaced by what was sent (absent = deleted); read-only ones stay.
      stored.video.snippet = replaceMutable(stored.video.snippet, resource.snippet, MUTABLE.snippet);
      for (const list of this.playlists.values()) {
        for (const item of list) {
          if (item.snippet.resourceId.videoId === resource.id) Object.assign(item.snippet, { title: resource.snippet.title, description: resource.snippet.description ?? '' });
        }
      }
    }
    if (parts.includes('status')) {
      const invalid = validateStatus(resource.status);
      if (invalid) return { status: 400, body: invalid };
      stored.video.status = replaceMutable(stored.video.status, resource.status, MUTABLE.status);
    }
    return { status: 200, body: stored.video };
  }

  // ---- thumbnails, captions, playlists, channels ----

  op_thumbnails_set(q, body, req) {
    const videoId = q.get('videoId');
    if (!this.videos.has(videoId)) return { status: 404, body: googleError(404, 'videoNotFound', 'The video you are trying to set a thumbnail for cannot be found.') };
    const type = String(req.headers['content-type'] ?? '');
    if (!/^image\/(jpeg|png)$/.test(type)) return { status: 400, body: googleError(400, 'invalidImage', 'The image content is invalid.') };
    if (body.length > 2 * 1024 * 1024) return { status: 400, body: googleError(400, 'mediaBodyTooBig', 'The thumbnail is over 2 MB.') };
    // https://developers.google.com/youtube/v3/docs/thumbnails/set#errors
    if (!this.verified) return { status: 403, body: googleError(403, 'forbidden', "The authenticated user doesn't have permissions to upload and set custom video thumbnails.", 'youtube.thumbnail') };
    this.thumbnails.set(videoId, body);
    return { status: 200, body: { kind: 'youtube#thumbnailSetResponse', items: [{ default: { url: `${this.origin}/vi/${videoId}/default.jpg` } }] } };
  }

  op_captions_insert(q, body, req) {
    const parsed = parseMultipart(req.headers['content-type'], body);
    if (!parsed) return { status: 400, body: googleError(400, 'badRequest', 'captions.insert needs a multipart/related body (metadata + track)', 'global') };
    const snippet = parsed.metadata.snippet ?? {};
    if (!this.videos.has(snippet.videoId)) return { status: 404, body: googleError(404, 'videoNotFound', 'The video identified by the videoId parameter could not be found.', 'youtube.caption') };
    if (!snippet.language) return { status: 400, body: googleError(400, 'invalidMetadata', 'snippet.language is required', 'youtube.caption') };
    if (!parsed.media.toString('utf8').startsWith('WEBVTT')) return { status: 400, body: googleError(400, 'invalidCaptionTrack', 'The caption track is not a valid WebVTT file.', 'youtube.caption') };
    const captionId = id(20);
    const caption = { kind: 'youtube#caption', id: captionId, snippet: { videoId: snippet.videoId, language: snippet.language, name: snippet.name ?? '' } };
    this.captions.set(captionId, { caption, data: parsed.media });
    return { status: 200, body: caption };
  }

  op_captions_update(q, body, req) {
    const parsed = parseMultipart(req.headers['content-type'], body);
    const captionId = parsed?.metadata.id;
    const stored = this.captions.get(captionId);
    if (!stored) return { status: 404, body: googleError(404, 'captionNotFound', 'The caption track could not be found.', 'youtube.caption') };
    stored.data = parsed.media;
    return { status: 200, body: stored.caption };
  }

  op_captions_list(q) {
    const items = [...this.captions.values()].map((c) => c.caption).filter((c) => c.snippet.videoId === q.get('videoId'));
    return { status: 200, body: { kind: 'youtube#captionListResponse', items } };
  }

  op_playlistItems_insert(q, body) {
    const resource = JSON.parse(body.toString('utf8') || '{}');
    const playlistId = resource.snippet?.playlistId;
    const videoId = resource.snippet?.resourceId?.videoId;
    if (!playlistId) return { status: 400, body: googleError(400, 'playlistIdRequired', 'The request must specify a playlist.', 'youtube.playlistItem') };
    const stored = this.videos.get(videoId);
    if (!stored) return { status: 404, body: googleError(404, 'videoNotFound', 'The video cannot be found.', 'youtube.playlistItem') };
    if (playlistId === this.uploadsPlaylistId) return { status: 403, body: googleError(403, 'playlistOperationUnsupported', 'The uploads playlist cannot be edited.', 'youtube.playlistItem') };
    if (!this.playlists.has(playlistId)) return { status: 404, body: googleError(404, 'playlistNotFound', 'The playlist identified with the request\'s playlistId parameter cannot be found.', 'youtube.playlistItem') };
    const item = this.#playlistItem(playlistId, videoId, stored.video.snippet);
    this.playlists.get(playlistId).push(item);
    return { status: 200, body: item };
  }

  op_playlistItems_list(q) {
    const list = this.playlists.get(q.get('playlistId') ?? '');
    if (!list) return { status: 404, body: googleError(404, 'playlistNotFound', 'The playlist cannot be found.', 'youtube.playlistItem') };
    const size = Math.min(Number(q.get('maxResults') ?? 5), this.playlistPageSize);
    const start = Number(q.get('pageToken') ?? 0);
    const items = list.slice(start, start + size);
    const next = start + size < list.length ? String(start + size) : undefined;
    return { status: 200, body: { kind: 'youtube#playlistItemListResponse', items, nextPageToken: next, pageInfo: { totalResults: list.length, resultsPerPage: size } } };
  }

  op_playlists_list(q) {
    const ids = (q.get('id') ?? '').split(',').filter(Boolean);
    const items = ids.filter((i) => this.playlistTitles.has(i)).map((i) => ({ kind: 'youtube#playlist', id: i, snippet: { title: this.playlistTitles.get(i), channelId: this.channel.id } }));
    return { status: 200, body: { kind: 'youtube#playlistListResponse', items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } } };
  }

  op_channels_list(q) {
    if (q.get('mine') !== 'true') return { status: 400, body: googleError(400, 'missingRequiredParameter', 'castline fake: only mine=true is supported', 'global') };
    return {
      status: 200,
      body: {
        kind: 'youtube#channelListResponse',
        items: [{ kind: 'youtube#channel', id: this.channel.id, snippet: { title: this.channel.title, customUrl: '@fakechannel' }, contentDetails: { relatedPlaylists: { uploads: this.uploadsPlaylistId } } }],
      },
    };
  }

  #json(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}

// https://developers.google.com/youtube/v3/docs/videos#properties: title ≤ 100 characters,
// description ≤ 5000 bytes, neither may contain < or >; tags ≤ 500 characters in total.
function validateSnippet(snippet, forUpdate) {
  if (!snippet) return forUpdate ? googleError(400, 'invalidVideoMetadata', 'The request metadata is invalid: snippet is required') : undefined;
  if (!snippet.title || [...snippet.title].length > 100 || /[<>]/.test(snippet.title)) {
    return googleError(400, 'invalidTitle', 'The request metadata specifies an invalid or empty video title.');
  }
  if (snippet.description !== undefined && (Buffer.byteLength(snippet.description) > 5000 || /[<>]/.test(snippet.description))) {
    return googleError(400, 'invalidDescription', 'The request metadata specifies an invalid video description.');
  }
  const tags = snippet.tags ?? [];
  const tagChars = tags.reduce((n, t) => n + [...t].length + (t.includes(' ') ? 2 : 0), 0) + Math.max(0, tags.length - 1);
  if (tagChars > 500 || tags.some((t) => /[<>]/.test(t))) return googleError(400, 'invalidTags', 'The request metadata specifies invalid video keywords.');
  if (forUpdate && !snippet.categoryId) return googleError(400, 'invalidCategoryId', 'The snippet.categoryId property must be specified when updating the snippet.');
  if (snippet.categoryId !== undefined && !/^\d+$/.test(snippet.categoryId)) return googleError(400, 'invalidCategoryId', 'The snippet.categoryId property specifies an invalid category ID.');
  return undefined;
}

function replaceMutable(current, sent, mutable) {
  const out = {};
  for (const [k, v] of Object.entries(current)) if (!mutable.includes(k)) out[k] = v;
  for (const k of mutable) if (sent[k] !== undefined) out[k] = sent[k];
  return out;
}

function validateStatus(status) {
  if (!status) return undefined;
  if (status.privacyStatus && !['private', 'unlisted', 'public'].includes(status.privacyStatus)) return googleError(400, 'invalidVideoMetadata', 'Invalid privacyStatus');
  if (status.publishAt) {
    if (status.privacyStatus !== 'private') return googleError(400, 'invalidPublishAt', 'publishAt can only be set when privacyStatus is private.');
    if (!(Date.parse(status.publishAt) > Date.now())) return googleError(400, 'invalidPublishAt', 'The request metadata specifies an invalid scheduled publishing time.');
  }
  return undefined;
}

function parseMultipart(contentType, body) {
  const boundary = /boundary=([^;]+)/.exec(String(contentType ?? ''))?.[1]?.replace(/"/g, '');
  if (!/^multipart\/related/.test(String(contentType ?? '')) || !boundary) return undefined;
  const text = body.toString('latin1');
  const parts = text.split(`--${boundary}`).slice(1, -1);
  if (parts.length !== 2) return undefined;
  const split = (p) => {
    const i = p.indexOf('\r\n\r\n');
    return Buffer.from(p.slice(i + 4).replace(/\r\n$/, ''), 'latin1');
  };
  try {
    return { metadata: JSON.parse(split(parts[0]).toString('utf8')), media: split(parts[1]) };
  } catch {
    return undefined;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function drain(req) {
  return new Promise((resolve) => {
    req.resume();
    req.on('end', resolve);
    req.on('close', resolve);
  });
}
