import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CastlineError, errorMessage } from '../core/errors.js';
import type { DeployTarget, PutResult } from './deploy-target.js';
import { S3_CREDENTIAL_VARS } from './credential-vars.js';

export interface S3TargetSettings {
  bucket: string;
  prefix?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
  forcePathStyle?: boolean | undefined;
  partSizeMiB?: number | undefined;
}

/**
 * The client options castline always uses. Checksums "when required": since early 2025 the SDK
 * sends CRC32 checksum headers (and trailers on streamed bodies) by default, which many
 * S3-compatible stores (older MinIO, B2, some R2/GCS paths) reject; SigV4's payload hash
 * already protects the bytes. Retries: the SDK's standard mode retries 500/502/503/504,
 * throttling and timeouts with exponential backoff and jitter (AWS SDK retry behavior docs).
 * No credentials here: the SDK's default chain (env, profile, SSO, IMDS) finds them.
 */
export function s3ClientConfig(settings: S3TargetSettings, env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  return {
    region: settings.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.forcePathStyle !== undefined ? { forcePathStyle: settings.forcePathStyle } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    retryMode: 'standard',
    maxAttempts: Number(env['CASTLINE_S3_MAX_ATTEMPTS'] ?? 5),
    // A connection silent this long (no byte either way) is dropped and the request retried.
    // socketTimeout, not requestTimeout: since @smithy/node-http-handler 4.x requestTimeout
    // bounds the whole request and only logs a warning (unless throwOnRequestTimeout), so a
    // server that never answers hung the deploy forever; a whole-request bound would also
    // fail a large part on a slow uplink that is still moving.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: Number(env['CASTLINE_S3_REQUEST_TIMEOUT_MS'] ?? 120_000) },
  };
}

export function s3Description(settings: S3TargetSettings): string {
  return `s3://${settings.bucket}/${settings.prefix ? `${settings.prefix}/` : ''}`;
}

/**
 * The CORS rule `castline deploy --setup` puts on the bucket: web players (Podcasting 2.0
 * chapters and transcripts, the site's player) fetch those files from other origins, and
 * audio players send Range and read Content-Range (Fetch standard: CORS-safelisted headers).
 */
export const S3_CORS_RULE = {
  AllowedOrigins: ['*'],
  AllowedMethods: ['GET', 'HEAD'],
  AllowedHeaders: ['Range', 'If-None-Match', 'If-Modified-Since'],
  ExposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag'],
  MaxAgeSeconds: 86_400,
};

export interface S3DeployTarget extends DeployTarget {
  /** Apply S3_CORS_RULE to the bucket (replaces its CORS configuration). */
  setupCors(): Promise<void>;
}

export function s3DeployTarget(settings: S3TargetSettings, env: NodeJS.ProcessEnv = process.env): S3DeployTarget {
  // The SDK warns on every run under Node 20 that releases after January 2027 need Node 22;
  // castline pins a Node-20 release line, so the warning only alarms hosts.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new S3Client(s3ClientConfig(settings, env));
  const description = s3Description(settings);
  const key = (rel: string): string => (settings.prefix ? `${settings.prefix}/${rel}` : rel);
  const partSize = (settings.partSizeMiB ?? 8) * 1024 * 1024;
  const fail = (error: unknown, doing: string): never => {
    throw s3Error(error, description, doing);
  };
  return {
    description,
    async open() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
      } catch (error) {
        fail(error, 'opening the bucket');
      }
    },
    async read(rel) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: key(rel) }));
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        return fail(error, `reading ${key(rel)}`);
      }
    },
    async put(rel, source, headers, onBytes): Promise<PutResult> {
      const common = { Bucket: settings.bucket, Key: key(rel), ContentType: headers.contentType, CacheControl: headers.cacheControl };
      try {
        if ('data' in source) {
          await client.send(new PutObjectCommand({ ...common, Body: source.data, ContentLength: source.data.length }));
          onBytes?.(source.data.length);
          return undefined;
        }
        // lib-storage: one PUT below partSize, else a multipart upload of partSize parts, four
        // in flight (memory stays near 4 × partSize whatever the file's size). An object only
        // appears when CompleteMultipartUpload succeeds, so a killed upload leaves the old one.
        // The file is hashed as it streams out (the deploy record needs its SHA-256): one read.
        const hash = createHash('sha256');
        const body = createReadStream(source.abs, { highWaterMark: 1024 * 1024 }).pipe(
          new Transform({
            transform(chunk: Buffer, _encoding, done) {
              hash.update(chunk);
              done(null, chunk);
            },
          }),
        );
        const upload = new Upload({ client, params: { ...common, Body: body, ContentLength: source.bytes }, partSize, queueSize: 4, leavePartsOnError: false });
        if (onBytes) upload.on('httpUploadProgress', (p) => p.loaded !== undefined && onBytes(p.loaded));
        await upload.done();
        return { sha256: hash.digest('hex') };
      } catch (error) {
        return fail(error, `uploading ${key(rel)}`);
      }
    },
    async remove(rel) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: key(rel) }));
      } catch (error) {
        if (statusOf(error) !== 404) fail(error, `deleting ${key(rel)}`);
      }
    },
    async setupCors() {
      try {
        await client.send(new PutBucketCorsCommand({ Bucket: settings.bucket, CORSConfiguration: { CORSRules: [S3_CORS_RULE] } }));
      } catch (error) {
        fail(error, 'setting the bucket CORS rule');
      }
    },
    close: async () => client.destroy(),
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

const REJECTED = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidClientTokenId', 'ExpiredToken', 'InvalidToken', 'AccessDenied', 'Forbidden']);

/** An SDK failure as what happened and what to do; never the credentials themselves. */
export function s3Error(error: unknown, target: string, doing: string): CastlineError {
  if (error instanceof CastlineError) return error;
  const name = (error as { name?: string })?.name ?? '';
  const status = statusOf(error);
  const state = 'the live feed was not changed';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(errorMessage(error))) {
    return new CastlineError('deploy-credentials-missing', `No S3 credentials for ${target}`, {
      hint: `set ${S3_CREDENTIAL_VARS} in the environment (in CI: the job's secrets); show.yaml never holds them`,
      state,
      cause: error,
    });
  }
  if (REJECTED.has(name) || status === 403) {
    return new CastlineError('deploy-credentials-rejected', `${target} refused the credentials while ${doing} (${name || `HTTP ${status}`})`, {
      hint: `check ${S3_CREDENTIAL_VARS}: the key must exist, match its secret, and may write to the bucket; for R2/B2 use that service's S3 API keys with deploy.endpoint set`,
      state,
      cause: error,
    });
  }
  if (name === 'NoSuchBucket' || (status === 404 && doing === 'opening the bucket')) {
    return new CastlineError('deploy-bucket-missing', `Bucket ${target} does not exist (or is in another region or endpoint)`, {
      hint: 'create the bucket, or fix deploy.bucket, deploy.region and deploy.endpoint in show.yaml',
      state,
      cause: error,
    });
  }
  return new CastlineError('deploy-failed', `${target}: ${doing} failed: ${name && !errorMessage(error).includes(name) ? `${name}: ` : ''}${errorMessage(error)}`, {
    hint: 'rerun castline deploy: files already uploaded are not sent again, and the live feed changes only at the end',
    state,
    cause: error,
  });
}
