import { describe, expect, it } from 'vitest';
import {
  decodeS3Key,
  parseS3UploadEvent,
} from '../lib/audio/s3-upload-event.js';
import { InvalidEventError } from '../lib/errors.js';
import {
  encodeS3Key,
  objectCreatedRecord,
  s3Event,
} from './support/events/s3-event.js';

const body = new TextEncoder().encode('bytes of a clip');

describe('audioUpload event parsing', () => {
  it('decodes the keys S3 writes into notifications', () => {
    expect(decodeS3Key('rooms/room+42/my+clip.opus')).toBe(
      'rooms/room 42/my clip.opus',
    );
    expect(decodeS3Key('rooms/a%2Bb/100%25.mp3')).toBe('rooms/a+b/100%.mp3');
    expect(decodeS3Key('rooms/%E4%BC%9A/%C3%A9t%C3%A9.wav')).toBe(
      'rooms/会/été.wav',
    );
  });

  it('reads bucket, decoded key, size, version and upload time', () => {
    const record = objectCreatedRecord({
      bucket: 'voice-clips',
      key: 'rooms/room 1/clip (1).opus',
      body,
      versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
      eventTime: '2026-12-03T09:15:30.999Z',
      eventName: 'ObjectCreated:CompleteMultipartUpload',
    });

    const [upload] = parseS3UploadEvent(s3Event(record));

    expect(upload).toEqual({
      recordIndex: 0,
      bucket: 'voice-clips',
      key: 'rooms/room 1/clip (1).opus',
      size: body.byteLength,
      versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
      sequencer: record.s3.object.sequencer,
      uploadedAtSeconds: Math.floor(Date.parse('2026-12-03T09:15:30Z') / 1000),
    });
  });

  it('keeps every record of the event, in order', () => {
    const keys = ['rooms/a/1.opus', 'rooms/b/2.opus', 'rooms/c/3.opus'];
    const event = s3Event(
      ...keys.map((key) => objectCreatedRecord({ bucket: 'b-1', key, body })),
    );

    const uploads = parseS3UploadEvent(event);

    expect(uploads.map((u) => [u.recordIndex, u.key])).toEqual([
      [0, keys[0]],
      [1, keys[1]],
      [2, keys[2]],
    ]);
  });

  it('encodes test keys as S3 does, so decoding gives them back', () => {
    const key = "rooms/Ünïcode 會議/it's (final)+v2!~.m4a";

    const encoded = encodeS3Key(key);

    expect(encoded).not.toMatch(/[ ()'!~]/);
    expect(decodeS3Key(encoded)).toBe(key);
  });

  it.each([
    ['undefined', undefined],
    ['an object without Records', { Service: 'Amazon S3' }],
    ['an empty Records list', { Records: [] }],
    ['Records that are not a list', { Records: 'nope' }],
  ])('rejects %s with InvalidEventError', (_, event) => {
    expect(() => parseS3UploadEvent(event)).toThrow(InvalidEventError);
    expect(() => parseS3UploadEvent(event)).toThrow(/S3 notification/);
  });

  it('rejects records that are not aws:s3 ObjectCreated, naming the record', () => {
    const created = objectCreatedRecord({ bucket: 'b-1', key: 'k', body });
    const removed = { ...created, eventName: 'ObjectRemoved:Delete' };
    const foreign = { ...created, eventSource: 'aws:sqs' };
    const withoutKey = {
      ...created,
      s3: { ...created.s3, object: { ...created.s3.object, key: '' } },
    };

    for (const [event, pattern] of [
      [s3Event(created, removed), /record 1 .*eventName/],
      [s3Event(foreign), /record 0 .*eventSource/],
      [s3Event(withoutKey), /record 0 .*s3\.object\.key/],
    ] as const) {
      expect(() => parseS3UploadEvent(event)).toThrow(pattern);
    }
  });

  it('rejects a key that is not URL-encoded UTF-8', () => {
    const record = objectCreatedRecord({ bucket: 'b-1', key: 'k', body });
    record.s3.object.key = 'rooms/bad/%E4%BC.opus';

    expect(() => parseS3UploadEvent(s3Event(record))).toThrow(
      InvalidEventError,
    );
  });
});
