/** The CLI command registry: name → lazy loader, with a one-line summary for --help. */
import type { CliCommand } from '../cli-io';

/** A registered command. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<CliCommand>;
}

/** Every CLI command. */
export const COMMANDS: Record<string, CommandEntry> = {};
