/**
 * Every CLI command, one module each. Add a command by writing src/cli/<name>.ts exporting `command`
 * and listing it here.
 */
import type { CommandModule } from 'yargs';

export const commands: CommandModule<object, never>[] = [];
