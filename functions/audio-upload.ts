import { createAudioUploadHandler } from '../lib/audio/audio-upload-handler.js';
import { createFunctionRuntime } from '../lib/function-runtime.js';

export const handler = createAudioUploadHandler(
  createFunctionRuntime('audioUpload', process.env),
);
