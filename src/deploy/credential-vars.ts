// Kept apart from s3-target.ts so that `castline check` and `castline build`, which name these
// variables in their problems, do not load the AWS SDK (about 0.25 s of module loading).

/** The variables the SDK's default credential chain reads first; named in every credentials error. */
export const S3_CREDENTIAL_VARS = 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE with ~/.aws/credentials)';
