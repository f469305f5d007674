import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AudioRejectedError } from './audio-errors.js';
import { classifyS3Error, s3Url } from './s3-errors.js';
import type { S3Upload } from './s3-upload-event.js';

/** What S3 says of an object besides its bytes. */
export interface ObjectHead {
  readonly size: number;
  readonly contentType?: string;
  /** User metadata (`x-amz-meta-*`), keys in lower case. */
  readonly metadata: Record<string, string>;
}

/** A small object with its bytes, or a large one left in S3. */
export type AudioObject =
  | { readonly kind: 'inline'; readonly head: ObjectHead; bytes: Uint8Array }
  | { readonly kind: 'remote'; readonly head: ObjectHead };

function headOf(
  output: GetObjectCommandOutput | HeadObjectCommandOutput,
): ObjectHead {
  return {
    size: output.ContentLength ?? 0,
    ...(output.ContentType && { contentType: output.ContentType }),
    metadata: output.Metadata ?? {},
  };
}

function rejectEmpty(upload: S3Upload, size: number): void {
  if (size > 0) return;
  throw new AudioRejectedError(
    'empty',
    `${s3Url(upload)} is empty (0 bytes): there is no clip to push`,
  );
}

function objectRequest(upload: S3Upload) {
  return {
    Bucket: upload.bucket,
    Key: upload.key,
    ...(upload.versionId && { VersionId: upload.versionId }),
  };
}

/**
 * Reads what the push needs of the uploaded object, with as few requests as
 * the event allows. The event already tells the size, so:
 *
 * - a small clip costs one GetObject, whose headers carry the user metadata
 *   and content type and whose body is the clip (no HeadObject first);
 * - a large one costs one HeadObject for its metadata; its bytes stay in S3.
 *
 * If the object grew since the event (overwritten under the same key), the
 * GetObject's ContentLength shows it before the body is read: the body is
 * dropped unread and the object handled as a large one.
 *
 * Rejects an empty or deleted object (AudioRejectedError); other S3 errors
 * become S3ReadError.
 */
export async function readAudioObject(
  s3: S3Client,
  upload: S3Upload,
  inlineMaxBytes: number,
): Promise<AudioObject> {
  rejectEmpty(upload, upload.size);

  try {
    if (upload.size > inlineMaxBytes) {
      const output = await s3.send(
        new HeadObjectCommand(objectRequest(upload)),
      );
      const head = headOf(output);
      rejectEmpty(upload, head.size);
      return { kind: 'remote', head };
    }

    const output = await s3.send(new GetObjectCommand(objectRequest(upload)));
    const head = headOf(output);
    if (head.size > inlineMaxBytes || head.size === 0) {
      (output.Body as { destroy?: () => void } | undefined)?.destroy?.();
      rejectEmpty(upload, head.size);
      return { kind: 'remote', head };
    }

    const bytes = await output.Body?.transformToByteArray();
    return { kind: 'inline', head, bytes: bytes ?? new Uint8Array() };
  } catch (error) {
    throw classifyS3Error(error, upload);
  }
}
