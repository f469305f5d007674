import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type {
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda';

export const AWS_REGION = 'eu-west-1';
const ACCOUNT_ID = '123456789012';
export const STANDARD_QUEUE_ARN = `arn:aws:sqs:${AWS_REGION}:${ACCOUNT_ID}:translation-results`;
export const FIFO_QUEUE_ARN = `arn:aws:sqs:${AWS_REGION}:${ACCOUNT_ID}:translation-results.fifo`;
// The assumed-role id of the producer that sent the message.
const SENDER_ID = 'AROAXDL4RKFJ7Q2EXAMPL:translation-worker';

// FIFO sequence numbers are 20-digit decimals that grow per message.
let nextSequenceNumber = 18_878_453_210_449_920_000n;

export interface SqsMessage {
  /** The body: a string as sent, or a value sent as its JSON. */
  body: unknown;
  /** Makes the record come from the FIFO queue, in this message group. */
  messageGroupId?: string;
  /** String message attributes the producer set, such as traceparent. */
  stringAttributes?: Record<string, string>;
  /** When SQS accepted the message, epoch milliseconds; now by default. */
  sentAtMs?: number;
}

function md5(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('hex');
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.byteLength);
  return Buffer.concat([length, bytes]);
}

/**
 * SQS's digest of message attributes: per attribute, sorted by name, the
 * length-prefixed name, data type and value, with transport type 1 (string).
 */
function md5OfStringAttributes(attributes: Record<string, string>): string {
  const parts = Object.keys(attributes)
    .sort()
    .flatMap((name) => [
      lengthPrefixed(name),
      lengthPrefixed('String'),
      Buffer.from([1]),
      lengthPrefixed(attributes[name] as string),
    ]);
  return md5(Buffer.concat(parts));
}

function messageAttributesOf(
  attributes: Record<string, string>,
): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        stringValue: value,
        stringListValues: [],
        binaryListValues: [],
        dataType: 'String',
      },
    ]),
  );
}

function receiptHandle(): string {
  return `AQEB${randomBytes(96).toString('base64')}`;
}

/** One SQS record exactly as Lambda's event source mapping delivers it. */
export function sqsRecord(message: SqsMessage): SQSRecord {
  const body =
    typeof message.body === 'string'
      ? message.body
      : JSON.stringify(message.body);
  const sentAtMs = message.sentAtMs ?? Date.now();
  const fifo = message.messageGroupId !== undefined;

  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(sentAtMs),
    SenderId: SENDER_ID,
    ApproximateFirstReceiveTimestamp: String(sentAtMs + 12),
  };
  if (fifo) {
    attributes.SequenceNumber = String(nextSequenceNumber);
    nextSequenceNumber += 1n;
    attributes.MessageGroupId = message.messageGroupId;
    // Content-based deduplication: the SHA-256 of the body.
    attributes.MessageDeduplicationId = createHash('sha256')
      .update(body)
      .digest('hex');
  }

  const strings = message.stringAttributes ?? {};
  const hasAttributes = Object.keys(strings).length > 0;
  return {
    messageId: randomUUID(),
    receiptHandle: receiptHandle(),
    body,
    attributes,
    messageAttributes: messageAttributesOf(strings),
    ...(hasAttributes && {
      md5OfMessageAttributes: md5OfStringAttributes(strings),
    }),
    md5OfBody: md5(body),
    eventSource: 'aws:sqs',
    eventSourceARN: fifo ? FIFO_QUEUE_ARN : STANDARD_QUEUE_ARN,
    awsRegion: AWS_REGION,
  };
}

/** The same message received again: same id and body, a new receipt. */
export function redelivery(record: SQSRecord): SQSRecord {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount) + 1;
  return {
    ...record,
    receiptHandle: receiptHandle(),
    attributes: {
      ...record.attributes,
      ApproximateReceiveCount: String(receiveCount),
    },
  };
}

/** An event of one batch of records. */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
