import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_INLINE_MAX_BYTES,
  DEFAULT_URL_EXPIRES_SECONDS,
  loadAudioConfig,
} from '../lib/audio/audio-config.js';
import { createS3Client } from '../lib/audio/s3-client.js';
import { ConfigError } from '../lib/errors.js';
import { S3_CREDENTIALS, startS3, type TestS3 } from './support/s3-server.js';

const BUCKET = 'voice-clips-config';

describe('audioUpload configuration', () => {
  let s3: TestS3;

  beforeAll(async () => {
    s3 = await startS3(BUCKET);
  });

  afterAll(async () => {
    await s3.stop();
  });

  it('defaults to 1 MiB inline and one-hour URLs', () => {
    expect(loadAudioConfig({})).toEqual({
      inlineMaxBytes: DEFAULT_INLINE_MAX_BYTES,
      urlExpiresSeconds: DEFAULT_URL_EXPIRES_SECONDS,
    });
    expect(DEFAULT_INLINE_MAX_BYTES).toBe(1_048_576);
    expect(DEFAULT_URL_EXPIRES_SECONDS).toBe(3600);
  });

  it.each([
    ['AUDIO_INLINE_MAX_BYTES', 'lots', /must be a positive integer/],
    ['AUDIO_INLINE_MAX_BYTES', '8388608', /must be at most 4128768/],
    ['AUDIO_URL_EXPIRES_SECONDS', '0', /must be a positive integer/],
    ['AUDIO_URL_EXPIRES_SECONDS', '604801', /must be at most 604800/],
  ])('refuses %s=%s at start', (name, value, message) => {
    const load = () => loadAudioConfig({ [name]: value });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('builds an S3 client for the endpoint in AWS_ENDPOINT_URL_S3', async () => {
    const body = new TextEncoder().encode('stored through the env endpoint');
    await s3.put(BUCKET, 'rooms/r1/env.txt', body);
    const client = createS3Client(
      {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        AWS_REGION: 'eu-west-1',
      },
      { credentials: S3_CREDENTIALS },
    );
    s3.clearRequests();

    const output = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'rooms/r1/env.txt' }),
    );
    const read = await output.Body?.transformToByteArray();
    client.destroy();

    expect(Buffer.from(read ?? [])).toEqual(Buffer.from(body));
    expect(s3.requestsFor('rooms/r1/env.txt')).toMatchObject([
      { method: 'GET', bucket: BUCKET, status: 200 },
    ]);
    expect(await client.config.region()).toBe('eu-west-1');
  });

  it('refuses a malformed S3_FORCE_PATH_STYLE', () => {
    expect(() => createS3Client({ S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      /S3_FORCE_PATH_STYLE must be true or false/,
    );
  });
});
