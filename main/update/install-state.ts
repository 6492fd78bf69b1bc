/**
 * The recorded install state: installed version, highest version ever installed (our
 * own anti-rollback record, independent of the feed) and backups per component.
 */
import { join } from 'node:path';
import { readJsonOrNull, writeJsonDurable } from './durable-file';
import { maxVersion } from './version-rules';

/** One kept backup of a component. */
export interface BackupRecord {
  version: string | null;
  path: string;
  at: number;
}

/** What we know about one installed component. */
export interface ComponentRecord {
  version: string | null;
  /** Highest version ever installed; downgrades below it need explicit consent. */
  highest: string | null;
  installedAt: number | null;
  /** Newest first. */
  backups: BackupRecord[];
}

/** The whole state file. */
export interface InstallStateFile {
  version: 1;
  components: Record<string, ComponentRecord>;
}

/** Load/save the install state in `<stateDir>/install-state.json`. */
export class InstallStateStore {
  readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'install-state.json');
  }

  /** Read the state; a missing file is an empty state. */
  async load(): Promise<InstallStateFile> {
    const data = await readJsonOrNull<InstallStateFile>(this.file);
    return data && data.version === 1 && data.components ? data : { version: 1, components: {} };
  }

  /** A component's record (empty when unknown). */
  async get(key: string): Promise<ComponentRecord> {
    return (await this.load()).components[key] ?? emptyRecord();
  }

  /** Apply a change to one component's record durably. */
  async update(
    key: string,
    change: (record: ComponentRecord) => ComponentRecord,
  ): Promise<ComponentRecord> {
    const state = await this.load();
    const next = change(state.components[key] ?? emptyRecord());
    next.highest = maxVersion(next.highest, next.version);
    state.components[key] = next;
    await writeJsonDurable(this.file, state);
    return next;
  }
}

/** A record for a component nothing is known about. */
export function emptyRecord(): ComponentRecord {
  return { version: null, highest: null, installedAt: null, backups: [] };
}
