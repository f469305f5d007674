import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidEventError } from '../errors.js';

const SQS_EVENT_SOURCE = 'aws:sqs';
const FIFO_SUFFIX = '.fifo';

function isRecordShaped(record: unknown): record is SQSRecord {
  const candidate = record as Partial<SQSRecord> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.messageId === 'string' &&
    typeof candidate.body === 'string'
  );
}

/**
 * The records of an SQS event, or InvalidEventError when the event is not
 * one SQS delivers: no Records array, no records at all (an event source
 * mapping never invokes with an empty batch), or records from another source.
 */
export function sqsRecordsOf(event: unknown): SQSRecord[] {
  const records = (event as Partial<SQSEvent> | null)?.Records;
  if (!Array.isArray(records)) {
    throw new InvalidEventError(
      'The event has no Records array, so it is not an SQS event: ' +
        'invoke this function only through an SQS event source mapping.',
    );
  }
  if (records.length === 0) {
    throw new InvalidEventError(
      'The event has an empty Records array, which SQS never sends: ' +
        'check what invoked this function.',
    );
  }

  const foreign = records.filter(
    (record) => (record as SQSRecord | null)?.eventSource !== SQS_EVENT_SOURCE,
  );
  if (foreign.length > 0) {
    const sources = [
      ...new Set(foreign.map((record) => String(record?.eventSource))),
    ];
    throw new InvalidEventError(
      `${foreign.length} of ${records.length} records do not come from SQS ` +
        `(eventSource ${sources.join(', ')}): connect only SQS queues to ` +
        'this function.',
    );
  }
  if (!records.every(isRecordShaped)) {
    throw new InvalidEventError(
      'An SQS record has no string messageId or body: the event was not ' +
        'sent by an SQS event source mapping.',
    );
  }

  return records;
}

/** Whether the record comes from a FIFO queue (its ARN ends in `.fifo`). */
export function isFifoRecord(record: SQSRecord): boolean {
  return record.eventSourceARN?.endsWith(FIFO_SUFFIX) ?? false;
}

/**
 * The key that orders a record among its batch: its message group on a FIFO
 * queue; none on a standard queue, where records are independent.
 */
export function messageGroupOf(record: SQSRecord): string | undefined {
  return isFifoRecord(record) ? record.attributes?.MessageGroupId : undefined;
}

/** A String (or String.*) message attribute's value, when the record has it. */
export function stringAttribute(
  record: SQSRecord,
  name: string,
): string | undefined {
  const attribute = record.messageAttributes?.[name];
  if (!attribute?.dataType?.startsWith('String')) return undefined;
  return attribute.stringValue;
}

/** When SQS accepted the message, in Unix seconds (attribute SentTimestamp). */
export function sentTimestampSeconds(record: SQSRecord): number | undefined {
  const sentAtMs = Number(record.attributes?.SentTimestamp);
  if (!Number.isFinite(sentAtMs) || sentAtMs <= 0) return undefined;
  return Math.floor(sentAtMs / 1000);
}
