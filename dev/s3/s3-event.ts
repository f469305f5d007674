import { createHash, randomBytes } from 'node:crypto';
import type { S3Event } from 'aws-lambda';

// The canonical ids S3 shows for the bucket owner and for the uploader; any
// fixed values do locally, as nothing checks them.
const OWNER_PRINCIPAL_ID = 'A1LOCALSTACKOWNER';
const UPLOADER_PRINCIPAL_ID = 'AWS:AIDALOCALSTACKUPLOADER';

let lastSequencer = BigInt(Date.now()) << 16n;

/** One object created in the local bucket. */
export interface CreatedObject {
  bucket: string;
  /** As stored, not encoded. */
  key: string;
  size: number;
  eTag: string;
  /** Such as `ObjectCreated:Put`. */
  eventName: string;
  region: string;
  sourceIp: string;
  /** The notification's id (`configurationId`). */
  configurationId: string;
  time?: Date;
}

/**
 * The key as S3 writes it in a notification: HTML-form URL encoding (`+`
 * for a space, `%XX` for other reserved bytes) with `/` kept.
 */
export function notificationKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (mark) =>
          `%${mark.charCodeAt(0).toString(16)}`.toUpperCase(),
        )
        .replaceAll('%20', '+'),
    )
    .join('/');
}

/** A sequencer that grows with each event, as S3's hex ones do. */
function nextSequencer(): string {
  lastSequencer += 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

/**
 * The event S3 hands Lambda for one created object: one record, version 2.1
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 * No versionId: the local bucket is not versioned.
 */
export function objectCreatedEvent(object: CreatedObject): S3Event {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: object.region,
        eventTime: (object.time ?? new Date()).toISOString(),
        eventName: object.eventName,
        userIdentity: { principalId: UPLOADER_PRINCIPAL_ID },
        requestParameters: { sourceIPAddress: object.sourceIp },
        responseElements: {
          'x-amz-request-id': requestId,
          'x-amz-id-2': createHash('sha384').update(requestId).digest('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: object.configurationId,
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: OWNER_PRINCIPAL_ID },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: notificationKey(object.key),
            size: object.size,
            eTag: object.eTag,
            sequencer: nextSequencer(),
          },
        },
      },
    ],
  };
}
