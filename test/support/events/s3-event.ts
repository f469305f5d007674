import { createHash, randomBytes } from 'node:crypto';
import type { S3Event, S3EventRecord } from 'aws-lambda';

export const AWS_REGION = 'eu-west-1';
// The canonical id of the bucket owner, and of the uploader's IAM user.
const OWNER_PRINCIPAL_ID = 'A3NL1KOZZKExample';
const UPLOADER_PRINCIPAL_ID = 'AWS:AIDAJDPLRKLG7UEXAMPLE';

// Sequencers are hex strings that grow with each event on a key.
let nextSequencer = 0x0066_4f2a_1b3c_0000n;

export interface UploadedObject {
  bucket: string;
  /** The key as stored, unencoded; the record carries it URL-encoded. */
  key: string;
  /** The bytes uploaded: size and ETag are computed from them. */
  body: Uint8Array;
  /** Only in versioned buckets. */
  versionId?: string;
  /** ISO time with milliseconds; now by default. */
  eventTime?: string;
  /** Default `ObjectCreated:Put`. */
  eventName?: string;
}

/**
 * The key as S3 writes it into a notification: form URL encoding (`+` for
 * a space, `%XX` for UTF-8 bytes) with `/` left as it is.
 */
export function encodeS3Key(key: string): string {
  return key
    .split('/')
    .map((part) =>
      encodeURIComponent(part)
        .replaceAll('%20', '+')
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
    )
    .join('/');
}

/** One record of an S3 event notification, as S3 sends it to Lambda. */
export function objectCreatedRecord(object: UploadedObject): S3EventRecord {
  nextSequencer += 1n;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: AWS_REGION,
    eventTime: object.eventTime ?? new Date().toISOString(),
    eventName: object.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: UPLOADER_PRINCIPAL_ID },
    requestParameters: { sourceIPAddress: '203.0.113.24' },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(48).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'audio-upload-notification',
      bucket: {
        name: object.bucket,
        ownerIdentity: { principalId: OWNER_PRINCIPAL_ID },
        arn: `arn:aws:s3:::${object.bucket}`,
      },
      object: {
        key: encodeS3Key(object.key),
        size: object.body.byteLength,
        eTag: createHash('md5').update(object.body).digest('hex'),
        ...(object.versionId && { versionId: object.versionId }),
        sequencer: nextSequencer.toString(16).toUpperCase().padStart(18, '0'),
      },
    },
  };
}

/** The event Lambda receives: one or more records. */
export function s3Event(...records: S3EventRecord[]): S3Event {
  return { Records: records };
}
