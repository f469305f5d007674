import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import { stableMessageId } from '../message-id.js';
import type { PushClient } from '../push-client.js';
import type { Invocation, PushOutcome } from '../push-types.js';
import type { AudioConfig } from './audio-config.js';
import { formatFromContentType, formatFromKey } from './audio-format.js';
import { audioPushContent, declaredDurationMs } from './audio-push-content.js';
import { presignClipLink } from './presign.js';
import {
  type AudioProbe,
  probeInlineAudio,
  probeRemoteAudio,
} from './probe-audio.js';
import { type ObjectHead, readAudioObject } from './read-audio-object.js';
import { roomTarget } from './room-target.js';
import type { S3Upload } from './s3-upload-event.js';

/** What handling one upload needs; built once per execution environment. */
export interface AudioUploadContext {
  readonly s3: S3Client;
  readonly config: AudioConfig;
  readonly push: PushClient;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Clock, in epoch milliseconds. */
  readonly now: () => number;
}

/** The same id each time the same upload (key and version) is handled. */
export function audioMessageId(upload: S3Upload): string {
  return stableMessageId(
    'audio',
    upload.bucket,
    upload.key,
    upload.versionId ?? upload.sequencer,
  );
}

// A large clip that declares its duration and names its format (content
// type or extension) is taken at its word: reading its bytes would only
// confirm what the uploader said.
async function probeLargeClip(
  context: AudioUploadContext,
  upload: S3Upload,
  head: ObjectHead,
  declared: number | undefined,
): Promise<AudioProbe> {
  const claimed =
    formatFromContentType(head.contentType) ?? formatFromKey(upload.key);
  if (declared !== undefined && claimed !== undefined) {
    return { format: claimed };
  }

  const probe = await probeRemoteAudio(context.s3, upload);
  context.logger.debug('audio read by range requests', {
    bucket: upload.bucket,
    key: upload.key,
    size: head.size,
    rangeRequests: probe.rangeRequests,
    rangeBytes: probe.rangeBytes,
  });
  return probe;
}

/**
 * Reads one uploaded clip and pushes it to its room, inline when small,
 * as a presigned URL when large. Throws AudioRejectedError for a clip that
 * can never be pushed, and other errors for failures that may pass.
 */
export async function pushAudioUpload(
  context: AudioUploadContext,
  upload: S3Upload,
  invocation: Invocation,
): Promise<PushOutcome> {
  const { s3, config } = context;
  const object = await readAudioObject(s3, upload, config.inlineMaxBytes);
  const { head } = object;
  const target = roomTarget(upload.key, head.metadata);

  const declared = declaredDurationMs(head.metadata);
  const probe =
    object.kind === 'inline'
      ? await probeInlineAudio(upload, object.bytes)
      : await probeLargeClip(context, upload, head, declared);
  const durationMs = declared ?? probe.durationMs;
  if (durationMs === undefined) {
    context.logger.warn('audio duration unknown; pushed without it', {
      bucket: upload.bucket,
      key: upload.key,
      format: probe.format,
    });
    context.metrics.addMetric('AudioDurationUnknown', MetricUnit.Count, 1);
  }

  const link =
    object.kind === 'remote'
      ? await presignClipLink(
          s3,
          upload,
          config.urlExpiresSeconds,
          context.now(),
        )
      : undefined;
  const content = audioPushContent({
    messageId: audioMessageId(upload),
    uploadedAtSeconds: upload.uploadedAtSeconds,
    head,
    format: probe.format,
    ...(durationMs !== undefined && { durationMs }),
    data: object.kind === 'inline' ? object.bytes : new Uint8Array(),
    ...(link && { link }),
  });

  return context.push.pushToRoom(
    {
      roomId: target.roomId,
      content,
      excludeUserIds: target.excludeUserIds,
    },
    invocation,
  );
}
