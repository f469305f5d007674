import type { S3Client } from '@aws-sdk/client-s3';
import { makeChunkedTokenizerFromS3 } from '@tokenizer/s3';
import {
  type IAudioMetadata,
  parseBuffer,
  parseFromTokenizer,
} from 'music-metadata';
import { AudioRejectedError } from './audio-errors.js';
import {
  AUDIO_FORMATS,
  type AudioFormat,
  formatFromParsed,
} from './audio-format.js';
import { oggDurationMs } from './ogg-duration.js';
import { RangeReads } from './range-reads.js';
import { classifyS3Error, s3Url } from './s3-errors.js';
import type { S3Upload } from './s3-upload-event.js';

/** What the bytes of a clip say about it. */
export interface AudioProbe {
  readonly format: AudioFormat;
  /** Undefined when the file does not tell (a stream cut without an end). */
  readonly durationMs?: number;
}

/** A probe of an object in S3, with what reading it cost. */
export interface RemoteAudioProbe extends AudioProbe {
  readonly rangeRequests: number;
  readonly rangeBytes: number;
}

function toMilliseconds(seconds: number | undefined): number | undefined {
  return seconds === undefined || !Number.isFinite(seconds)
    ? undefined
    : Math.round(seconds * 1000);
}

function notAudio(upload: S3Upload, error: unknown): AudioRejectedError {
  return new AudioRejectedError(
    'not_audio',
    `${s3Url(upload)} is not audio that can be read ` +
      `(${(error as Error).message}); upload one of: ${AUDIO_FORMATS.join(', ')}`,
    { cause: error },
  );
}

function formatOf(upload: S3Upload, parsed: IAudioMetadata): AudioFormat {
  const { container, codec } = parsed.format;
  const format = formatFromParsed(container, codec);
  if (format === undefined) {
    throw new AudioRejectedError(
      'unsupported_format',
      `${s3Url(upload)} is ${container ?? 'unknown'} audio ` +
        `(${codec ?? 'unknown codec'}), which clients are not sent; upload ` +
        `one of: ${AUDIO_FORMATS.join(', ')}`,
    );
  }
  return format;
}

/**
 * Reads format and duration from a clip held in memory. The bytes decide,
 * not the content type the uploader claimed.
 */
export async function probeInlineAudio(
  upload: S3Upload,
  bytes: Uint8Array,
): Promise<AudioProbe> {
  let parsed: IAudioMetadata;
  try {
    parsed = await parseBuffer(bytes, undefined, {
      duration: true,
      skipCovers: true,
    });
  } catch (error) {
    throw notAudio(upload, error);
  }

  const format = formatOf(upload, parsed);
  const durationMs = toMilliseconds(parsed.format.duration);
  return { format, ...(durationMs !== undefined && { durationMs }) };
}

/**
 * Reads format and duration of an object left in S3 through ranged GETs of
 * the parts that hold them (headers; for Ogg, also the last page), never the
 * whole object. A failed S3 read is an S3ReadError, not "not audio".
 */
export async function probeRemoteAudio(
  s3: S3Client,
  upload: S3Upload,
): Promise<RemoteAudioProbe> {
  const reads = new RangeReads(s3);
  const request = {
    Bucket: upload.bucket,
    Key: upload.key,
    ...(upload.versionId && { VersionId: upload.versionId }),
  };

  try {
    const tokenizer = await makeChunkedTokenizerFromS3(reads, request);
    // The content type is the uploader's claim and picks music-metadata's
    // parser when set; without it the parser is chosen from the bytes.
    tokenizer.fileInfo.mimeType = undefined;

    const parsed = await parseFromTokenizer(tokenizer, {
      duration: false,
      skipCovers: true,
    });
    const format = formatOf(upload, parsed);
    const { container, codec, sampleRate } = parsed.format;
    const durationMs =
      toMilliseconds(parsed.format.duration) ??
      (container === 'Ogg'
        ? await oggDurationMs(tokenizer, codec, sampleRate)
        : undefined);

    return {
      format,
      ...(durationMs !== undefined && { durationMs }),
      rangeRequests: reads.requests,
      rangeBytes: reads.bytes,
    };
  } catch (error) {
    if (error instanceof AudioRejectedError) throw error;
    if (reads.failure !== undefined)
      throw classifyS3Error(reads.failure, upload);
    throw notAudio(upload, error);
  } finally {
    reads.release();
  }
}
