import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The file, in DATA_DIR, that holds the generated key when SECRET_ENCRYPTION_KEY is not set. */
export const SECRET_KEY_FILE = 'secret-encryption.key';
const VERSION = 'v1';

/**
 * Encrypts the few secrets the server must use again later (an SQS destination's AWS secret key, a
 * webhook's signing secret, a queued notice that carries a new client secret) with AES-256-GCM.
 * Every value is bound to a context (its row and field), so a ciphertext copied to another row
 * does not open. Values that only need checking are hashed instead (src/kernel/ids.ts).
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(keyMaterial: string) {
    this.key = createHash('sha256').update(`bizapi-secret-box\u0000${keyMaterial}`).digest();
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** The plain value; throws when the value was altered, sealed for another context or with another key. */
  open(sealed: string, context: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || iv === undefined || body === undefined || tag === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

const boxes = new Map<string, SecretBox>();

/**
 * The box of a server: keyed by SECRET_ENCRYPTION_KEY when set (required when several hosts share
 * one database), else by a random key generated once into DATA_DIR/secret-encryption.key (mode 0600).
 */
export function secretBoxFor(config: { secretEncryptionKey: string | null; dataDir: string }): SecretBox {
  const id = config.secretEncryptionKey !== null ? `key:${config.secretEncryptionKey}` : `dir:${config.dataDir}`;
  let box = boxes.get(id);
  if (!box) {
    box = new SecretBox(config.secretEncryptionKey ?? keyFromFile(config.dataDir));
    boxes.set(id, box);
  }
  return box;
}

function keyFromFile(dataDir: string): string {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // `wx`: exactly one process creates it; the others read what it wrote.
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (let i = 0; ; i++) {
    const key = fs.readFileSync(file, 'utf8').trim();
    if (key.length >= 32 || i >= 50) {
      if (key.length < 32) throw new Error(`${file} does not hold a key (at least 32 characters)`);
      return key;
    }
    // Another process created the file an instant ago and is still writing it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}
