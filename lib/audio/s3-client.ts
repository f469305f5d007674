import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { booleanFlag, type Env, optionalString } from '../env.js';

/**
 * The S3 client of one execution environment, configured from `env`:
 *
 * - `AWS_ENDPOINT_URL_S3`: another S3 endpoint, such as a local server. The
 *   SDK reads it from `process.env` by itself; it is read here too so that a
 *   caller passing its own environment gets the same result.
 * - `S3_FORCE_PATH_STYLE` (default false): `http://host/bucket/key` URLs, as
 *   local S3 servers need.
 * - `AWS_REGION` (set by Lambda); the SDK's own lookup when unset.
 *
 * Credentials come from the SDK's default chain (the function's role on
 * Lambda) unless `overrides` gives others.
 */
export function createS3Client(
  env: Env,
  overrides: S3ClientConfig = {},
): S3Client {
  const endpoint = optionalString(env, 'AWS_ENDPOINT_URL_S3');
  const region = optionalString(env, 'AWS_REGION');
  return new S3Client({
    ...(endpoint && { endpoint }),
    ...(region && { region }),
    forcePathStyle: booleanFlag(env, 'S3_FORCE_PATH_STYLE', false),
    ...overrides,
  });
}
