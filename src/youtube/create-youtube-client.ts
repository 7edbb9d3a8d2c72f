import { OAuth2Client } from 'google-auth-library';
import { youtube, type youtube_v3 } from '@googleapis/youtube';
import { ENV, type YouTubeCredentials } from './load-credentials.js';
import type { RequestFn } from './upload-resumable.js';

/** Google's endpoints, overridable for tests and private deployments (DESIGN: environment seams). */
export const DEFAULT_ROOT_URL = 'https://youtube.googleapis.com/';
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface YouTubeEndpoints {
  rootUrl: string;
  tokenUrl: string;
}

export function youtubeEndpoints(env: NodeJS.ProcessEnv = process.env): YouTubeEndpoints {
  const root = env[ENV.rootUrl] || DEFAULT_ROOT_URL;
  return { rootUrl: root.endsWith('/') ? root : `${root}/`, tokenUrl: env[ENV.tokenUrl] || DEFAULT_TOKEN_URL };
}

export function createOAuthClient(clientId: string, clientSecret: string, endpoints: YouTubeEndpoints, redirectUri?: string): OAuth2Client {
  return new OAuth2Client({
    clientId,
    clientSecret,
    ...(redirectUri ? { redirectUri } : {}),
    endpoints: { oauth2TokenUrl: endpoints.tokenUrl },
  });
}

export interface YouTubeClient {
  auth: OAuth2Client;
  api: youtube_v3.Youtube;
  endpoints: YouTubeEndpoints;
  /** Per-call options: generated media methods ignore the API-level rootUrl, so pass it each time. */
  call: { rootUrl: string; retry: boolean };
}

export function createYouTubeClient(credentials: YouTubeCredentials, endpoints: YouTubeEndpoints = youtubeEndpoints()): YouTubeClient {
  const auth = createOAuthClient(credentials.clientId, credentials.clientSecret, endpoints);
  auth.setCredentials({ refresh_token: credentials.refreshToken });
  // @googleapis/youtube bundles its own google-auth-library copy: same runtime shape, distinct types.
  const api = youtube({ version: 'v3', auth: auth as unknown as youtube_v3.Options['auth'], rootUrl: endpoints.rootUrl });
  return { auth, api, endpoints, call: { rootUrl: endpoints.rootUrl, retry: false } };
}

/**
 * The uploader's HTTP seam over the OAuth client: bearer token and refresh from the client,
 * every status handed back (308 is YouTube's "Resume Incomplete", not a redirect to follow),
 * no gaxios retries (the uploader retries itself, after asking the session what it kept).
 */
export function authorizedRequest(auth: OAuth2Client): RequestFn {
  return async (r) => {
    const res = await auth.request({
      url: r.url,
      method: r.method,
      headers: r.headers,
      data: r.data,
      ...(r.timeout ? { timeout: r.timeout } : {}),
      validateStatus: () => true,
      retry: false,
      responseType: 'text',
      redirect: 'manual',
    } as Parameters<OAuth2Client['request']>[0]);
    return { status: res.status, headers: res.headers, data: res.data };
  };
}
