import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { InvalidEventError } from '../errors.js';
import type { FunctionRuntime } from '../function-runtime.js';
import { invocationOf } from '../invocation.js';
import type { Invocation } from '../push-types.js';
import { loadAudioConfig } from './audio-config.js';
import { AudioRejectedError, AudioUploadFailedError } from './audio-errors.js';
import {
  type AudioUploadContext,
  audioMessageId,
  pushAudioUpload,
} from './push-audio-upload.js';
import { createS3Client } from './s3-client.js';
import { s3Url } from './s3-errors.js';
import { parseS3UploadEvent, type S3Upload } from './s3-upload-event.js';

/** What one invocation did with the records of its event. */
export interface AudioUploadSummary {
  records: number;
  /** Push-Manager took the push (`success = true`). */
  pushed: number;
  /** Push-Manager answered `success = false`: room empty or unknown. */
  notDelivered: number;
  /** Dropped by policy: empty, not audio, deleted, or without a room. */
  dropped: number;
  /** Not handled now; the invocation throws so Lambda retries the event. */
  failed: number;
}

export type AudioUploadHandler = (
  event: unknown,
  context: Context,
) => Promise<AudioUploadSummary>;

export interface AudioUploadDependencies {
  /** Default: one client built from the runtime's environment. */
  s3?: S3Client;
  /** Clock, in epoch milliseconds. */
  now?: () => number;
}

type RecordResult = Exclude<keyof AudioUploadSummary, 'records'>;

/**
 * Builds the `audioUpload` handler: each S3 ObjectCreated record becomes an
 * AUDIO push to the clip's room, the uploader left out.
 *
 * Delivery, record by record, every record of the event being tried:
 * - pushed, or answered `success = false` (no such room, nobody in it): done;
 *   the push client logged it and counted `PushNotDelivered`. Retrying could
 *   only repeat the answer, so it is not retried.
 * - empty, not audio, an unsupported format, deleted before it was read, or
 *   without a room: logged as an error with bucket, key and reason, counted
 *   as `AudioRejected` (dimension `reason`), and dropped.
 * - a push that did not go through (PushFailedError) or an S3 read that
 *   failed: after the other records, the invocation throws
 *   AudioUploadFailedError, so Lambda retries the event and at last parks it
 *   in the on-failure destination. Records already pushed are pushed again
 *   with the same `message_id`, which clients use to drop repeats.
 * - an event without records, or with any record that is not an `aws:s3`
 *   ObjectCreated one: logged, counted as `InvalidEvent`, and thrown
 *   (InvalidEventError) before anything is pushed.
 */
export function createAudioUploadHandler(
  runtime: FunctionRuntime,
  dependencies: AudioUploadDependencies = {},
): AudioUploadHandler {
  const { logger, metrics } = runtime;
  metrics.setDefaultDimensions({ messageType: 'AUDIO' });
  const context: AudioUploadContext = {
    s3: dependencies.s3 ?? createS3Client(runtime.env),
    config: loadAudioConfig(runtime.env),
    push: runtime.push,
    logger,
    metrics,
    now: dependencies.now ?? Date.now,
  };

  function parse(event: unknown): S3Upload[] {
    try {
      return parseS3UploadEvent(event);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      logger.error('audio upload event rejected', { reason: error.message });
      metrics.addMetric('InvalidEvent', MetricUnit.Count, 1);
      throw error;
    }
  }

  function reject(upload: S3Upload, error: AudioRejectedError): void {
    logger.error('audio upload dropped', {
      ...identify(upload),
      reason: error.reason,
      error: error.message,
    });
    const metric = metrics.singleMetric();
    metric.addDimension('reason', error.reason);
    metric.addMetric('AudioRejected', MetricUnit.Count, 1);
  }

  async function handle(
    upload: S3Upload,
    invocation: Invocation,
    failures: { key: string; error: unknown }[],
  ): Promise<RecordResult> {
    try {
      const outcome = await pushAudioUpload(context, upload, invocation);
      return outcome.delivered ? 'pushed' : 'notDelivered';
    } catch (error) {
      if (error instanceof AudioRejectedError) {
        reject(upload, error);
        return 'dropped';
      }
      logger.error('audio upload failed; the event will be retried', {
        ...identify(upload),
        error: (error as Error).message,
      });
      metrics.addMetric('AudioUploadFailed', MetricUnit.Count, 1);
      failures.push({ key: s3Url(upload), error });
      return 'failed';
    }
  }

  return async (event, lambdaContext) => {
    logger.addContext(lambdaContext);
    try {
      const uploads = parse(event);
      const invocation = invocationOf(lambdaContext, runtime.env);
      const summary: AudioUploadSummary = {
        records: uploads.length,
        pushed: 0,
        notDelivered: 0,
        dropped: 0,
        failed: 0,
      };
      const failures: { key: string; error: unknown }[] = [];

      for (const upload of uploads) {
        summary[await handle(upload, invocation, failures)] += 1;
      }

      logger.info('audio upload event handled', { ...summary });
      if (failures.length > 0) throw new AudioUploadFailedError(failures);
      return summary;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

function identify(upload: S3Upload): Record<string, unknown> {
  return {
    bucket: upload.bucket,
    key: upload.key,
    recordIndex: upload.recordIndex,
    messageId: audioMessageId(upload),
  };
}
