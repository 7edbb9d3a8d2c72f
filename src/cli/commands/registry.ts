import type { ExtraCommand } from '../main.js';

/**
 * Commands beyond new/check/status. Each stage adds one entry: define options here (cheap),
 * implement `run` in its own module (loaded only when the command runs).
 */
export const EXTRA_COMMANDS: ExtraCommand[] = [];
