// Events shaped as AWS delivers them to each function, with fresh ids on
// every call so that no cache or de-duplication can shortcut the work.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const REGION = 'eu-west-1';
const ACCOUNT_ID = '123456789012';
const QUEUE_NAME = 'biz-server-bench-translation-results';
const SCHEDULE_ARN = `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule/default/biz-server-bench`;

/** A text of exactly `bytes` UTF-8 bytes, mixing Latin and CJK characters. */
export function textOfBytes(bytes) {
  const unit = 'Hello 世界 ';
  const unitBytes = Buffer.byteLength(unit);
  const whole = unit.repeat(Math.floor(bytes / unitBytes));
  return whole + 'x'.repeat(bytes - Buffer.byteLength(whole));
}

function traceHeader(sentAt) {
  const root = `1-${Math.floor(sentAt / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

function sqsRecord(body, sentAt) {
  const messageId = randomUUID();
  return {
    messageId,
    receiptHandle: `AQEB${randomBytes(48).toString('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      AWSTraceHeader: traceHeader(sentAt),
      SentTimestamp: String(sentAt),
      SenderId: 'AROAEXAMPLEID:translation-worker',
      ApproximateFirstReceiveTimestamp: String(sentAt + 5),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${QUEUE_NAME}`,
    awsRegion: REGION,
  };
}

/** An SQS batch of `count` translation results of `textBytes` each. */
export function translationEvent(count, textBytes) {
  const sentAt = Date.now();
  const text = textOfBytes(textBytes);
  const records = [];
  for (let index = 0; index < count; index += 1) {
    const body = JSON.stringify({
      userId: `user-bench-${index}`,
      text,
      sourceLanguage: 'en-US',
      targetLanguage: 'zh-CN',
      segmentId: index,
      final: true,
    });
    records.push(sqsRecord(body, sentAt));
  }
  return { Records: records };
}

/** EventBridge Scheduler's input for one due announcement. */
export function announcementEvent(messageBytes) {
  return {
    message: textOfBytes(messageBytes),
    priority: 'high',
    scheduleArn: SCHEDULE_ARN,
    scheduledTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    executionId: randomBytes(8).toString('hex'),
    attemptNumber: '1',
  };
}

/** An S3 ObjectCreated:Put notification for one stored object. */
export function audioUploadEvent(object) {
  const now = new Date();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: now.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROAEXAMPLEID:uploader' },
        requestParameters: { sourceIPAddress: '203.0.113.10' },
        responseElements: {
          'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
          'x-amz-id-2': randomBytes(48).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'biz-server-audio-upload',
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: object.key,
            size: object.size,
            eTag: object.eTag,
            sequencer: now
              .getTime()
              .toString(16)
              .toUpperCase()
              .padStart(18, '0'),
          },
        },
      },
    ],
  };
}

/**
 * The event of `functionName` carrying `records` records of `bytes` each
 * (for audioUpload: the stored clip `object`).
 */
export function eventFor(functionName, { records = 1, bytes = 100, object }) {
  if (functionName === 'translationResult')
    return translationEvent(records, bytes);
  if (functionName === 'announcement') return announcementEvent(bytes);
  if (functionName === 'audioUpload') return audioUploadEvent(object);
  throw new Error(`no bench event for function ${functionName}`);
}
