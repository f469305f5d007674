import type { SQSRecord } from 'aws-lambda';
import { sentTimestampSeconds } from '../batch/sqs-records.js';
import type { PushContent } from '../push-types.js';
import type { TranslationResult } from './translation-body.js';

/**
 * The TRANSLATION push for one record: the text as UTF-8, the languages under
 * Push-Manager's own metadata keys (`language` = target, `source`), and a
 * message id that stays the same when SQS delivers the record again: the
 * producer's `messageId`, else the SQS message id.
 */
export function translationContent(
  result: TranslationResult,
  record: SQSRecord,
): PushContent {
  const metadata: Record<string, string> = {
    language: result.targetLanguage,
    source: result.sourceLanguage,
  };
  if (result.segmentId !== undefined) metadata.segment_id = result.segmentId;
  if (result.final !== undefined) metadata.final = String(result.final);

  return {
    type: 'TRANSLATION',
    data: Buffer.from(result.text, 'utf8'),
    timestamp: result.timestamp ?? sentTimestampSeconds(record),
    metadata,
    messageId: result.messageId ?? record.messageId,
  };
}
