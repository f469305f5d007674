import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini ships without a locale, so every issue would read "Invalid input".
// Classic zod loads English itself; this keeps the same messages while the
// bundle carries only the schemas it uses (classic adds ~470 KB minified).
config(en());

/**
 * zod's tree-shakable `zod/mini` API with English error messages. Import it
 * as `import * as z from '../zod.js'`, never from `zod` or `zod/mini`, so the
 * locale is always set. A namespace import keeps tree-shaking working: a `z`
 * object passed on as a value would pull in all of zod, every locale included.
 */
export * from 'zod/mini';
