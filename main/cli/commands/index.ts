/** The CLI command registry: name → lazy loader, with a one-line summary for --help. */
import type { CliCommand } from '../cli-io';

/** A registered command. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<CliCommand>;
}

/** Every CLI command. */
export const COMMANDS: Record<string, CommandEntry> = {
  check: {
    summary:
      'check [--feed URL --root root.json] [--json] — list installed and available LLMrecon versions',
    load: async () => (await import('./check')).runCheckCommand,
  },
  install: {
    summary:
      'install <component|all> [--version V] [--allow-downgrade] [--json] — verified, atomic install',
    load: async () => (await import('./install')).runInstallCommand,
  },
  rollback: {
    summary: 'rollback <component> [--json] — restore the previous version from backup',
    load: async () => (await import('./rollback')).runRollbackCommand,
  },
  publish: {
    summary: 'publish <init|add|sign|rotate|expire|refresh> … — maintain a signed TUF feed',
    load: async () => (await import('./publish')).runPublishCommand,
  },
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
