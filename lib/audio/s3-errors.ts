import { AudioRejectedError, S3ReadError } from './audio-errors.js';
import type { S3Upload } from './s3-upload-event.js';

// A deleted object, version or bucket: it will never be there again. Note
// that S3 answers 403 instead of 404 to a role without s3:ListBucket.
const GONE = new Set([
  'NoSuchKey',
  'NotFound',
  'NoSuchVersion',
  'NoSuchBucket',
]);

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Where an upload lives, as people write it in logs. */
export function s3Url(upload: S3Upload): string {
  return `s3://${upload.bucket}/${upload.key}`;
}

/**
 * What a failed S3 call means for the record: a gone object is dropped
 * (AudioRejectedError), anything else may pass and is retried (S3ReadError).
 */
export function classifyS3Error(error: unknown, upload: S3Upload): Error {
  if (error instanceof AudioRejectedError || error instanceof S3ReadError) {
    return error;
  }

  const {
    name = 'Error',
    message = String(error),
    $metadata,
  } = (error ?? {}) as SdkError;
  if (GONE.has(name) || $metadata?.httpStatusCode === 404) {
    return new AudioRejectedError(
      'object_deleted',
      `${s3Url(upload)} was deleted before it could be read (${name})`,
      { cause: error },
    );
  }
  return new S3ReadError(
    `Reading ${s3Url(upload)} failed (${name}: ${message}); the event is ` +
      'retried. If it keeps failing, check the role can s3:GetObject it.',
    { cause: error },
  );
}
