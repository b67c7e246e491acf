/**
 * `flagops sandbox`: the local AppConfig, AppConfigData, CloudWatch and GitHub, from the emulator
 * package (see ../companion.ts).
 */
import { companionCommand } from '../companion.ts';

export const command = await companionCommand(
  'sandbox',
  'Run the local AppConfig, CloudWatch and GitHub emulator',
);
