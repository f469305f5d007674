import { mkdir, rm, stat } from 'node:fs/promises';

const POLL_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while holding a lock folder, so two processes of the checkout
 * do not build into the same place at once. A lock older than `staleAfterMs`
 * was left by a process that died, and is taken over.
 */
export async function withFolderLock<T>(
  lock: string,
  staleAfterMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + staleAfterMs;
  for (;;) {
    try {
      await mkdir(lock, { recursive: false });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await ageMs(lock);
      if (age !== undefined && age > staleAfterMs) {
        await rm(lock, { recursive: true, force: true });
      } else if (Date.now() > deadline) {
        throw new Error(
          `${lock} is held by another process: wait for it, or remove the ` +
            'folder if no other stack is starting',
        );
      } else {
        await sleep(POLL_MS);
      }
    }
  }

  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
