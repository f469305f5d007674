import { describe, expect, it } from 'vitest';
import {
  formatFromContentType,
  formatFromKey,
  formatFromParsed,
} from '../lib/audio/audio-format.js';
import { lastGranulePosition } from '../lib/audio/ogg-duration.js';
import { roomFromKey, roomTarget } from '../lib/audio/room-target.js';

describe('audioUpload formats', () => {
  it.each([
    ['audio/ogg; codecs=opus', 'opus'],
    ['audio/ogg;codecs="opus"', 'opus'],
    ['audio/opus', 'opus'],
    ['Audio/OGG', 'ogg'],
    ['audio/mpeg', 'mp3'],
    ['audio/x-wav', 'wav'],
    ['audio/mp4', 'm4a'],
    ['audio/x-m4a', 'm4a'],
    ['audio/aac', 'aac'],
    ['audio/webm;codecs=opus', 'webm'],
    ['audio/flac', 'flac'],
    ['application/octet-stream', undefined],
    ['image/png', undefined],
    [undefined, undefined],
  ])('reads content type %s as %s', (contentType, format) => {
    expect(formatFromContentType(contentType)).toBe(format);
  });

  it.each([
    ['rooms/r/clip.OPUS', 'opus'],
    ['rooms/r/clip.oga', 'ogg'],
    ['rooms/r/clip.m4a', 'm4a'],
    ['rooms/r/clip.webm', 'webm'],
    ['rooms/r/clip.mp3.txt', undefined],
    ['rooms/r/clip', undefined],
  ])('reads key %s as %s', (key, format) => {
    expect(formatFromKey(key)).toBe(format);
  });

  it.each([
    ['Ogg', 'Opus', 'opus'],
    ['Ogg', 'Vorbis I', 'ogg'],
    ['MPEG', 'MPEG 1 Layer 3', 'mp3'],
    ['MPEG', 'MPEG 1 Layer 2', undefined],
    ['WAVE', 'PCM', 'wav'],
    ['FLAC', 'FLAC', 'flac'],
    ['ADTS', 'MPEG-4/AAC', 'aac'],
    ['M4A/isom/iso2', 'MPEG-4/AAC', 'm4a'],
    ['EBML/webm', 'OPUS', 'webm'],
    ['EBML/matroska', 'OPUS', undefined],
    ['AIFF', 'PCM', undefined],
  ])('reads container %s with codec %s as %s', (container, codec, format) => {
    expect(formatFromParsed(container, codec)).toBe(format);
  });
});

describe('audioUpload rooms', () => {
  it('finds the room in keys laid out as rooms/{roomId}/...', () => {
    expect(roomFromKey('rooms/room-1/clip.opus')).toBe('room-1');
    expect(roomFromKey('rooms/room-1/2026/12/clip.opus')).toBe('room-1');
    expect(roomFromKey('rooms/room-1')).toBeUndefined();
    expect(roomFromKey('rooms//clip.opus')).toBeUndefined();
    expect(roomFromKey('uploads/room-1/clip.opus')).toBeUndefined();
  });

  it('prefers the room-id metadata and excludes the user-id', () => {
    expect(
      roomTarget('rooms/a/clip.opus', { 'room-id': 'b', 'user-id': 'u-1' }),
    ).toEqual({ roomId: 'b', excludeUserIds: ['u-1'] });
    expect(roomTarget('rooms/a/clip.opus', { 'room-id': '  ' })).toEqual({
      roomId: 'a',
      excludeUserIds: [],
    });
  });

  it('refuses a clip without a room, saying how to give it one', () => {
    expect(() => roomTarget('inbox/clip.opus', {})).toThrow(
      /rooms\/\{roomId\}\/ or set the room-id metadata/,
    );
  });
});

describe('audioUpload Ogg last page', () => {
  function page(granule: bigint, payload: number[]): number[] {
    const header = new Uint8Array(27);
    header.set([0x4f, 0x67, 0x67, 0x53, 0, 4]);
    new DataView(header.buffer).setBigInt64(6, granule, true);
    header[26] = 1;
    return [...header, payload.length, ...payload];
  }

  it('reads the granule position of the page that ends the file', () => {
    const tail = new Uint8Array([
      1,
      2,
      ...page(960n, [9, 9, 9]),
      ...page(48_312n, [7, 7]),
    ]);

    expect(lastGranulePosition(tail)).toBe(48_312n);
  });

  it('ignores an OggS inside data and a file cut short', () => {
    const fakeInData = [0x4f, 0x67, 0x67, 0x53, 0, 0, 0, 0, 0, 0, 0, 0];
    const lastPage = page(1000n, [...fakeInData, 5, 5, 5, 5, 5, 5]);

    expect(lastGranulePosition(new Uint8Array(lastPage))).toBe(1000n);
    expect(
      lastGranulePosition(new Uint8Array(lastPage.slice(0, -1))),
    ).toBeUndefined();
  });
});
