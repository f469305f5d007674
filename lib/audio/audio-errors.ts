import { BizServerError } from '../errors.js';

/** Why an upload is dropped without a push. */
export type RejectionReason =
  | 'empty'
  | 'not_audio'
  | 'unsupported_format'
  | 'object_deleted'
  | 'no_room';

/**
 * An upload that can never become a push: retrying cannot help, so the
 * record is logged, counted as `AudioRejected` and dropped.
 */
export class AudioRejectedError extends BizServerError {
  override name = 'AudioRejectedError';
  readonly reason: RejectionReason;

  constructor(
    reason: RejectionReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * Reading the object from S3 failed in a way that may pass (throttling, a
 * server error, the network, missing permissions). The event is kept for
 * Lambda's retries and its on-failure destination.
 */
export class S3ReadError extends BizServerError {
  override name = 'S3ReadError';
}

/**
 * Some records of the event could not be handled now. Thrown after every
 * record was tried, so Lambda retries the whole event; records pushed
 * already are pushed again with the same message id.
 */
export class AudioUploadFailedError extends BizServerError {
  override name = 'AudioUploadFailedError';
  readonly failures: readonly { key: string; error: unknown }[];

  constructor(failures: readonly { key: string; error: unknown }[]) {
    const reasons = failures
      .map(({ key, error }) => `${key}: ${(error as Error).message}`)
      .join('; ');
    super(
      `${failures.length} audio upload(s) could not be pushed and will be ` +
        `retried with the event: ${reasons}`,
      { cause: failures[0]?.error },
    );
    this.failures = failures;
  }
}
