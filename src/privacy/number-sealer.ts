import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { LinekeeperError } from '../shared/errors.js';

export class SealError extends LinekeeperError {}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 1;

/**
 * Encrypts the few things kept in clear form because a person needs them back (the number a
 * patient asked to be called back on; voicemail audio): AES-256-GCM under a key derived with
 * HKDF from the device secret. The key never enters the database, so a copied database file
 * holds only ciphertext; deleting the device secret makes every sealed value unreadable.
 * The row id is bound in as associated data, so a ciphertext moved to another row fails.
 */
export class NumberSealer {
  readonly #key: Buffer;
  /** Names the key without revealing it: a changed device secret is noticed, not mis-decrypted. */
  readonly keyId: string;

  constructor(deviceSecret: Buffer, purpose = 'linekeeper callback numbers v1') {
    if (deviceSecret.length < 32) throw new Error('device secret must be at least 32 bytes');
    this.#key = Buffer.from(hkdfSync('sha256', deviceSecret, Buffer.alloc(0), purpose, 32));
    this.keyId = createHash('sha256').update(this.#key).digest('hex').slice(0, 16);
  }

  seal(plain: Buffer | string, boundTo: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, boundTo: string, keyId: string = this.keyId): Buffer {
    if (keyId !== this.keyId) {
      throw new SealError(
        'SEAL_WRONG_KEY',
        `a sealed value for ${boundTo} was written under key ${keyId}, but this device's key is ${this.keyId}: the device secret was replaced; restore the old device-secret file to read it`,
      );
    }
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
      throw new SealError('SEAL_DAMAGED', `sealed value for ${boundTo} is damaged (bad header)`);
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new SealError(
        'SEAL_DAMAGED',
        `sealed value for ${boundTo} failed its integrity check: it was altered or belongs to another row`,
        { cause: error },
      );
    }
  }
}
