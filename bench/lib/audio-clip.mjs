const SAMPLE_RATE_HZ = 16_000;
const BYTES_PER_SAMPLE = 2;
const HEADER_BYTES = 44;
const TONE_HZ = 440;

/**
 * A valid mono 16-bit PCM WAV file of exactly `totalBytes` bytes holding a
 * tone, so the audio path parses real audio of a chosen size (1 MiB is
 * about 33 s).
 */
export function wavClip(totalBytes) {
  const samples = Math.floor((totalBytes - HEADER_BYTES) / BYTES_PER_SAMPLE);
  if (samples < 1)
    throw new Error(`a WAV clip needs more than ${totalBytes} B`);

  const clip = Buffer.alloc(totalBytes);
  const dataBytes = samples * BYTES_PER_SAMPLE;
  clip.write('RIFF', 0, 'ascii');
  clip.writeUInt32LE(totalBytes - 8, 4);
  clip.write('WAVEfmt ', 8, 'ascii');
  clip.writeUInt32LE(16, 16);
  clip.writeUInt16LE(1, 20);
  clip.writeUInt16LE(1, 22);
  clip.writeUInt32LE(SAMPLE_RATE_HZ, 24);
  clip.writeUInt32LE(SAMPLE_RATE_HZ * BYTES_PER_SAMPLE, 28);
  clip.writeUInt16LE(BYTES_PER_SAMPLE, 32);
  clip.writeUInt16LE(16, 34);
  clip.write('data', 36, 'ascii');
  clip.writeUInt32LE(dataBytes, 40);

  for (let index = 0; index < samples; index += 1) {
    const phase = (2 * Math.PI * TONE_HZ * index) / SAMPLE_RATE_HZ;
    clip.writeInt16LE(
      Math.round(Math.sin(phase) * 8000),
      HEADER_BYTES + index * 2,
    );
  }
  return clip;
}
