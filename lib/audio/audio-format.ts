/** The `format` values an AUDIO push carries. */
export const AUDIO_FORMATS = [
  'opus',
  'ogg',
  'mp3',
  'wav',
  'm4a',
  'aac',
  'webm',
  'flac',
] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** The content type sent when the object's own says nothing useful. */
export const CONTENT_TYPE_OF: Record<AudioFormat, string> = {
  opus: 'audio/ogg; codecs=opus',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  webm: 'audio/webm',
  flac: 'audio/flac',
};

const FORMAT_OF_MEDIA_TYPE: Record<string, AudioFormat> = {
  'audio/opus': 'opus',
  'audio/ogg': 'ogg',
  'application/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
  'audio/aacp': 'aac',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
};

const FORMAT_OF_EXTENSION: Record<string, AudioFormat> = {
  opus: 'opus',
  ogg: 'ogg',
  oga: 'ogg',
  mp3: 'mp3',
  wav: 'wav',
  m4a: 'm4a',
  mp4: 'm4a',
  aac: 'aac',
  webm: 'webm',
  flac: 'flac',
};

/** The format a content type such as `audio/ogg; codecs=opus` names. */
export function formatFromContentType(
  contentType: string | undefined,
): AudioFormat | undefined {
  if (!contentType) return undefined;

  const [mediaType = '', ...parameters] = contentType
    .toLowerCase()
    .split(';')
    .map((part) => part.trim());
  const format = FORMAT_OF_MEDIA_TYPE[mediaType];
  const saysOpus = parameters.some((p) => /^codecs="?opus"?$/.test(p));
  return format === 'ogg' && saysOpus ? 'opus' : format;
}

/** The format a key's extension names (`.opus`, `.mp3`, ...). */
export function formatFromKey(key: string): AudioFormat | undefined {
  const extension = key.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return extension === undefined ? undefined : FORMAT_OF_EXTENSION[extension];
}

/**
 * The format music-metadata found in the bytes, from its container and codec
 * names (`Ogg` + `Opus`, `MPEG`, `WAVE`, `M4A/isom`, `EBML/webm`, ...), or
 * undefined for audio this bundle does not push (AIFF, WMA, ...).
 */
export function formatFromParsed(
  container: string | undefined,
  codec: string | undefined,
): AudioFormat | undefined {
  const family = container?.split('/')[0]?.toUpperCase();
  switch (family) {
    case 'OGG':
      return codec?.toLowerCase() === 'opus' ? 'opus' : 'ogg';
    case 'MPEG':
      return codec?.includes('Layer 3') ? 'mp3' : undefined;
    case 'WAVE':
      return 'wav';
    case 'FLAC':
      return 'flac';
    case 'ADTS':
      return 'aac';
    case 'M4A':
    case 'MP4':
    case 'ISOM':
    case 'MP42':
      return 'm4a';
    case 'EBML':
      return container?.toLowerCase() === 'ebml/webm' ? 'webm' : undefined;
    default:
      return undefined;
  }
}

/** Whether a content type says the object is audio at all. */
export function isAudioContentType(contentType: string | undefined): boolean {
  return formatFromContentType(contentType) !== undefined;
}
