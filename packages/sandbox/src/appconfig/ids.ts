/** AppConfig identifiers: 7 characters of `[a-z0-9]`, matching the model's `^[a-z0-9]{4,7}$`. */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newId(taken: (id: string) => boolean = () => false): string {
  for (;;) {
    const bytes = randomBytes(7);
    let id = '';
    for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
    if (!taken(id)) return id;
  }
}
