import { InvalidEventError } from '../errors.js';
import * as z from '../zod.js';

/** One uploaded object, as an S3 ObjectCreated record names it. */
export interface S3Upload {
  /** Position of the record in the event, for log lines. */
  readonly recordIndex: number;
  readonly bucket: string;
  /** The object key, decoded from the event's URL encoding. */
  readonly key: string;
  /** Size in bytes when the event was sent. */
  readonly size: number;
  /** Absent when the bucket is not versioned. */
  readonly versionId?: string;
  /** Orders the events of one key; the id of the upload without versions. */
  readonly sequencer: string;
  /** When S3 finished the upload, in Unix seconds. */
  readonly uploadedAtSeconds: number;
}

const recordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().check(z.startsWith('ObjectCreated:')),
  eventTime: z.iso.datetime({ offset: true }),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1)),
      size: z.number().check(z.int(), z.nonnegative()),
      versionId: z.optional(z.string().check(z.minLength(1))),
      sequencer: z.string().check(z.minLength(1)),
    }),
  }),
});

const eventSchema = z.object({
  Records: z.array(z.unknown()).check(z.minLength(1)),
});

type S3Record = z.infer<typeof recordSchema>;

/**
 * S3 writes keys as an HTML form does: `+` for a space, `%XX` for the UTF-8
 * bytes of anything else outside letters, digits and a few marks.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replaceAll('+', ' '));
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || 'event'} ${issue.message}`)
    .join('; ');
}

function toUpload(record: S3Record, recordIndex: number): S3Upload {
  const { bucket, object } = record.s3;
  let key: string;
  try {
    key = decodeS3Key(object.key);
  } catch (error) {
    throw new InvalidEventError(
      `S3 event record ${recordIndex} has a key that is not URL-encoded ` +
        `UTF-8 (${object.key}); only S3 notifications belong here`,
      { cause: error },
    );
  }
  return {
    recordIndex,
    bucket: bucket.name,
    key,
    size: object.size,
    ...(object.versionId && { versionId: object.versionId }),
    sequencer: object.sequencer,
    uploadedAtSeconds: Math.floor(Date.parse(record.eventTime) / 1000),
  };
}

/**
 * The uploads an S3 event announces. Throws InvalidEventError for an event
 * without records or with any record that is not an `aws:s3` ObjectCreated
 * notification: such an event is misrouted, and ends in the on-failure
 * destination rather than being half handled.
 */
export function parseS3UploadEvent(event: unknown): S3Upload[] {
  const envelope = eventSchema.safeParse(event);
  if (!envelope.success) {
    throw new InvalidEventError(
      'The event is not an S3 notification with Records: send only ' +
        `s3:ObjectCreated:* notifications here (${describeIssues(envelope.error)})`,
    );
  }

  return envelope.data.Records.map((raw, index) => {
    const record = recordSchema.safeParse(raw);
    if (!record.success) {
      throw new InvalidEventError(
        `S3 event record ${index} is not an aws:s3 ObjectCreated ` +
          `notification (${describeIssues(record.error)}): send only ` +
          's3:ObjectCreated:* notifications here',
      );
    }
    return toUpload(record.data, index);
  });
}
