import { createFunctionRuntime } from '../lib/function-runtime.js';
import { createTranslationResultHandler } from '../lib/translation/translation-result-handler.js';

export const handler = createTranslationResultHandler(
  createFunctionRuntime('translationResult', process.env),
);
