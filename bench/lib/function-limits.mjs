// Defaults of the functions' own settings that shape the load, as
// lib/translation/translation-config.ts and lib/audio/audio-config.ts set
// them; serverless.yml's environment overrides them as it does on Lambda.
const DEFAULT_PUSH_CONCURRENCY = 10;
const DEFAULT_MAX_TEXT_BYTES = 32_768;
const DEFAULT_AUDIO_INLINE_MAX_BYTES = 1_048_576;

function numberOr(value, fallback) {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** translationResult's PUSH_CONCURRENCY. */
export function pushConcurrency(bundle) {
  return numberOr(bundle.variables.PUSH_CONCURRENCY, DEFAULT_PUSH_CONCURRENCY);
}

/** translationResult's largest accepted text (TRANSLATION_MAX_TEXT_BYTES). */
export function maxTextBytes(bundle) {
  return numberOr(
    bundle.variables.TRANSLATION_MAX_TEXT_BYTES,
    DEFAULT_MAX_TEXT_BYTES,
  );
}

/** audioUpload's largest clip sent inline (AUDIO_INLINE_MAX_BYTES). */
export function audioInlineMaxBytes(bundle) {
  return numberOr(
    bundle.variables.AUDIO_INLINE_MAX_BYTES,
    DEFAULT_AUDIO_INLINE_MAX_BYTES,
  );
}
