import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { inflateRawSync } from 'node:zlib';

// Signatures and fixed sizes of the ZIP records read here (APPNOTE 6.3).
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY_BYTES = 22;
const DIRECTORY_ENTRY_BYTES = 46;
const LOCAL_HEADER_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
const STORED = 0;
const DEFLATED = 8;

function findEndOfDirectory(zip: Buffer): number {
  const earliest = Math.max(
    0,
    zip.length - END_OF_DIRECTORY_BYTES - MAX_COMMENT_BYTES,
  );
  for (let at = zip.length - END_OF_DIRECTORY_BYTES; at >= earliest; at -= 1) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new Error('not a ZIP file: no end of central directory');
}

/**
 * Unpacks a ZIP artifact (stored or deflated entries, as `serverless
 * package` writes them) into `folder`. Entries that would land outside
 * `folder` are refused.
 */
export async function unzip(zipFile: string, folder: string): Promise<void> {
  const zip = await readFile(zipFile);
  const end = findEndOfDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);

  for (let index = 0; index < entries; index += 1) {
    if (zip.readUInt32LE(at) !== DIRECTORY_ENTRY) {
      throw new Error(`${zipFile}: corrupt central directory`);
    }
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString(
      'utf8',
      at + DIRECTORY_ENTRY_BYTES,
      at + DIRECTORY_ENTRY_BYTES + nameLength,
    );
    at += DIRECTORY_ENTRY_BYTES + nameLength + extraLength + commentLength;

    const target = normalize(join(folder, name));
    if (!target.startsWith(normalize(folder))) {
      throw new Error(`${zipFile}: entry ${name} points outside the folder`);
    }
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }

    if (zip.readUInt32LE(localHeader) !== LOCAL_HEADER) {
      throw new Error(`${zipFile}: corrupt local header of ${name}`);
    }
    const dataStart =
      localHeader +
      LOCAL_HEADER_BYTES +
      zip.readUInt16LE(localHeader + 26) +
      zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (method !== STORED && method !== DEFLATED) {
      throw new Error(`${zipFile}: ${name} uses compression ${method}`);
    }

    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, method === STORED ? data : inflateRawSync(data));
  }
}
