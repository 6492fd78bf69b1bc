/** The CLI command registry: name → lazy loader, with a one-line summary for --help. */
import type { CliCommand } from '../cli-io';

/** A registered command. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<CliCommand>;
}

/** Every CLI command. */
export const COMMANDS: Record<string, CommandEntry> = {
  download: {
    summary:
      'download <https-url> -o <file> [--sha256 H|--sha512 H] [--pin P]... — verified, resumable download',
    load: async () => (await import('./download')).runDownloadCommand,
  },
  pin: {
    summary:
      'pin <https-url> [--ca FILE] [--json] — show the verified chain with a sha256/ pin per certificate',
    load: async () => (await import('./pin')).runPinCommand,
  },
};
