import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Upload } from './s3-upload-event.js';

/** A link clients download a large clip from. */
export interface ClipLink {
  readonly url: string;
  /** Unix seconds after which S3 refuses the URL. */
  readonly expiresAtSeconds: number;
}

/**
 * A presigned GET URL for the exact version uploaded. The URL lives
 * `expiresSeconds`, but no longer than the credentials that signed it: on
 * Lambda those are the role's session, so a URL may die earlier than
 * `expiresAtSeconds` says.
 */
export async function presignClipLink(
  s3: S3Client,
  upload: S3Upload,
  expiresSeconds: number,
  nowMs: number,
): Promise<ClipLink> {
  const command = new GetObjectCommand({
    Bucket: upload.bucket,
    Key: upload.key,
    ...(upload.versionId && { VersionId: upload.versionId }),
  });
  const signingDate = new Date(Math.floor(nowMs / 1000) * 1000);
  const url = await getSignedUrl(s3, command, {
    expiresIn: expiresSeconds,
    signingDate,
  });
  return {
    url,
    expiresAtSeconds: signingDate.getTime() / 1000 + expiresSeconds,
  };
}
