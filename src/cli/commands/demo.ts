/**
 * `flagops demo` (what `npm start` runs): the whole story, told by the emulator package
 * (see ../companion.ts).
 */
import { companionCommand } from '../companion.ts';

export const command = await companionCommand(
  'demo',
  'The whole story on a local emulator, told by the repository’s own workflows',
);
