import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UpdateError } from './update-errors.js';

export type ChecksumResult =
  | { state: 'verified'; sha256: string; checksumFile: string }
  | { state: 'absent'; sha256: string };

/**
 * Checks FILE against FILE.sha256 (the `sha256sum` format make-release.sh writes) when that is
 * present. A copy damaged on a USB stick or an SD card must not be installed; a missing
 * checksum file is reported, not fatal, so a hand-made tarball still installs.
 */
export async function verifyChecksum(file: string): Promise<ChecksumResult> {
  const sha256 = await sha256Of(file);
  const checksumFile = `${file}.sha256`;
  if (!existsSync(checksumFile)) return { state: 'absent', sha256 };
  const expected = parseChecksumFile(readFileSync(checksumFile, 'utf8'), basename(file));
  if (expected === null) {
    throw new UpdateError(
      'UPDATE_CHECKSUM_MISMATCH',
      `${checksumFile} has no SHA-256 line for ${basename(file)}; expected "<64 hex digits>  ${basename(file)}" as sha256sum writes it`,
    );
  }
  if (expected !== sha256) {
    throw new UpdateError(
      'UPDATE_CHECKSUM_MISMATCH',
      `${file} does not match ${checksumFile} (SHA-256 ${sha256}, expected ${expected}): the copy is damaged or not the release it claims to be; copy it again`,
    );
  }
  return { state: 'verified', sha256, checksumFile };
}

function parseChecksumFile(text: string, name: string): string | null {
  for (const line of text.split('\n')) {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (match && basename(match[2]!) === name) return match[1]!.toLowerCase();
  }
  return null;
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', (error) =>
        reject(
          new UpdateError('UPDATE_FILE_UNREADABLE', `cannot read ${file}: ${error.message}`, {
            cause: error,
          }),
        ),
      )
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
