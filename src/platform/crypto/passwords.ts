import { hash, verify } from '@node-rs/argon2';

/** Argon2id hash of a password. */
export const hashPassword = (password: string): Promise<string> => hash(password);

// A fixed hash verified when the account does not exist, so timing does not reveal which emails exist.
const DUMMY = '$argon2id$v=19$m=19456,t=2,p=1$hWYVRfI2oH56BydsRUL/ZQ$77I+dBHmjggMMLWTvzn8wAwRJx12Er41k3nBlk+FeKE';

/** Verifies a password against a stored hash (or against a dummy when there is none). */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  try {
    const ok = await verify(stored ?? DUMMY, password);
    return ok && !!stored;
  } catch {
    return false;
  }
}
