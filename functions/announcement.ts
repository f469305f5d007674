import { createAnnouncementHandler } from '../lib/announcement/announcement-handler.js';
import { createFunctionRuntime } from '../lib/function-runtime.js';

export const handler = createAnnouncementHandler(
  createFunctionRuntime('announcement', process.env),
);
