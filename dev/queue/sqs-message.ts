import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';

// The IAM user id SQS shows as the sender; any fixed value does locally.
const SENDER_ID = 'AIDALOCALSTACKSENDER';

/** A message while it is in the local queue. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: SQSMessageAttributes;
  readonly sentAtMs: number;
  firstReceivedAtMs?: number;
  receiveCount: number;
  /** Hidden from receivers until then, after each receive. */
  visibleAtMs: number;
}

/** A message as SendMessage creates it: a new id and the body's MD5. */
export function newMessage(
  body: string,
  stringAttributes: Record<string, string>,
  nowMs: number,
): QueuedMessage {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(stringAttributes)) {
    messageAttributes[name] = {
      stringValue: value,
      stringListValues: [],
      binaryListValues: [],
      dataType: 'String',
    };
  }
  return {
    messageId: randomUUID(),
    body,
    md5OfBody: createHash('md5').update(body).digest('hex'),
    messageAttributes,
    sentAtMs: nowMs,
    receiveCount: 0,
    visibleAtMs: nowMs,
  };
}

/**
 * One record of the batch Lambda's SQS poller hands the function, for a
 * message just received (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
 */
export function sqsRecord(
  message: QueuedMessage,
  queueArn: string,
  region: string,
): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: randomBytes(96).toString('base64'),
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAtMs),
      SenderId: SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(
        message.firstReceivedAtMs ?? message.sentAtMs,
      ),
    },
    messageAttributes: message.messageAttributes,
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
