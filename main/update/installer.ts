/**
 * The installer: extract into a sibling staging folder, validate, then swap with two
 * renames under an install journal; keep N backups; roll back; repair an install that
 * was interrupted between the renames.
 *
 * Why siblings: staging and backups live in the same parent folder as the component,
 * so every rename stays on one filesystem (atomic, never EXDEV).
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readCoreVersion } from './core-version';
import { readJsonOrNull, removeDurable, syncDir, writeJsonDurable } from './durable-file';
import { InstallError, NoBackupError, ValidationError } from './errors';
import { DEFAULT_LIMITS, extractArchive, type ExtractLimits } from './extract';
import { InstallStateStore, type ComponentRecord } from './install-state';
import { parseComponentKey, type ArchiveFormat } from './target-meta';

/** Points in a swap where tests can simulate a crash. */
export type SwapStep = 'journaled' | 'between-renames' | 'swapped';

/** Installer configuration. */
export interface InstallerOptions {
  stateDir: string;
  /** LLMrecon's folder: `templates/` and `modules/<id>/` live here. */
  installRoot: string;
  /** Where the core binary lives. */
  coreBinaryPath: string;
  /** Backups kept per component (default 2). */
  backupsToKeep?: number;
  /** Timeout of the core's `--version` (default 10 s). */
  validateTimeoutMs?: number;
  limits?: ExtractLimits;
  /** Test hook called at each swap step (e.g. to kill the process between the renames). */
  onStep?: (step: SwapStep, key: string) => void | Promise<void>;
}

/** Installer phases reported to the UI. */
export type InstallerPhase = 'extracting' | 'validating' | 'installing' | 'rolling-back';

/** Outcome of an install or rollback. */
export interface SwapOutcome {
  from: string | null;
  to: string | null;
}

/** What recovery did with one journal. */
export interface RecoveryReport {
  key: string;
  action: 'completed' | 'rolled-forward' | 'discarded-staging' | 'restored-backup';
  version: string | null;
}

interface Journal {
  op: 'install' | 'rollback';
  key: string;
  target: string;
  staged: string;
  stagingDir: string | null;
  backup: string | null;
  fromVersion: string | null;
  toVersion: string | null;
  restoredBackup: string | null;
  at: number;
}

const MARKER = '.llmrecon-component.json';

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Installs LLMrecon components safely. */
export class Installer {
  readonly state: InstallStateStore;
  private readonly opts: Required<Omit<InstallerOptions, 'onStep'>> &
    Pick<InstallerOptions, 'onStep'>;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(options: InstallerOptions) {
    this.opts = {
      ...options,
      backupsToKeep: options.backupsToKeep ?? 2,
      validateTimeoutMs: options.validateTimeoutMs ?? 10_000,
      limits: options.limits ?? DEFAULT_LIMITS,
    };
    this.state = new InstallStateStore(options.stateDir);
  }

  /** Where a component lives on disk. */
  targetOf(key: string): string {
    const { kind, id } = parseComponentKey(key);
    if (kind === 'core') return this.opts.coreBinaryPath;
    if (kind === 'templates') return join(this.opts.installRoot, 'templates');
    return join(this.opts.installRoot, 'modules', id as string);
  }

  private backupsDirOf(key: string): string {
    const target = this.targetOf(key);
    return join(dirname(target), '.llmrecon-backups', basename(target));
  }

  private journalOf(key: string): string {
    return join(
      this.opts.stateDir,
      'install-journal',
      `${key.replace(/[^a-z0-9._-]/gi, '_')}.json`,
    );
  }

  // One operation per component at a time.
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.locks.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Module ids found on disk (installed even if the feed no longer lists them). */
  async modulesOnDisk(): Promise<string[]> {
    try {
      const entries = await readdir(join(this.opts.installRoot, 'modules'), {
        withFileTypes: true,
      });
      return entries
        .filter((e) => e.isDirectory() && /^[a-z0-9][a-z0-9._-]*$/.test(e.name))
        .map((e) => e.name);
    } catch {
      return [];
    }
  }

  /**
   * The installed version: the recorded state when its target exists, else detected
   * (core: `--version`; folders: the marker file written at install time).
   */
  async installedVersion(key: string): Promise<string | null> {
    const target = this.targetOf(key);
    if (!(await exists(target))) return null;
    const record = await this.state.get(key);
    if (record.version) return record.version;
    if (key === 'core') {
      try {
        return await readCoreVersion(target, this.opts.validateTimeoutMs);
      } catch {
        return null;
      }
    }
    try {
      const marker = JSON.parse(await readFile(join(target, MARKER), 'utf8')) as {
        version?: unknown;
      };
      return typeof marker.version === 'string' ? marker.version : null;
    } catch {
      return null;
    }
  }

  /** Install a verified archive as `version` of `key`. The current install is untouched unless the swap happens. */
  install(
    key: string,
    archive: string,
    format: ArchiveFormat,
    version: string,
    onPhase?: (p: InstallerPhase) => void,
  ): Promise<SwapOutcome> {
    return this.serial(key, () => this.installNow(key, archive, format, version, onPhase));
  }

  private async installNow(
    key: string,
    archive: string,
    format: ArchiveFormat,
    version: string,
    onPhase?: (p: InstallerPhase) => void,
  ): Promise<SwapOutcome> {
    const target = this.targetOf(key);
    const parent = dirname(target);
    await mkdir(parent, { recursive: true });
    const stagingDir = join(
      parent,
      `.llmrecon-staging-${basename(target)}-${randomBytes(6).toString('hex')}`,
    );
    await mkdir(stagingDir, { mode: 0o755 });
    let swapped = false;
    try {
      onPhase?.('extracting');
      await extractArchive(archive, stagingDir, format, this.opts.limits);
      onPhase?.('validating');
      const staged = await this.validateStaged(key, stagingDir, version);
      onPhase?.('installing');
      const from = await this.installedVersion(key);
      const backup = (await exists(target)) ? this.newBackupPath(key, from) : null;
      await this.swap({
        op: 'install',
        key,
        target,
        staged,
        stagingDir,
        backup,
        fromVersion: from,
        toVersion: version,
        restoredBackup: null,
        at: Date.now(),
      });
      swapped = true;
      await this.pruneBackups(key);
      return { from, to: version };
    } finally {
      if (!swapped || (await exists(stagingDir)))
        await rm(stagingDir, { recursive: true, force: true });
    }
  }

  private newBackupPath(key: string, version: string | null): string {
    return join(
      this.backupsDirOf(key),
      `${version ?? 'unknown'}@${Date.now()}-${randomBytes(3).toString('hex')}`,
    );
  }

  // Returns the path that will be renamed onto the target.
  private async validateStaged(key: string, stagingDir: string, version: string): Promise<string> {
    const { kind } = parseComponentKey(key);
    if (kind === 'core') {
      const name = basename(this.opts.coreBinaryPath);
      const candidates = [
        name,
        'llmrecon',
        'llmrecon.exe',
        join('bin', name),
        join('bin', 'llmrecon'),
        join('bin', 'llmrecon.exe'),
      ];
      let binary: string | null = null;
      for (const c of candidates) {
        const p = join(stagingDir, c);
        const st = await lstat(p).catch(() => null);
        if (st?.isFile()) {
          binary = p;
          break;
        }
      }
      if (!binary) throw new ValidationError(`the core archive holds no ${name} binary`);
      const reported = await readCoreVersion(binary, this.opts.validateTimeoutMs);
      if (reported !== version) {
        throw new ValidationError(
          `the new core reports version ${reported} but the feed says ${version}`,
          {
            details: { reported, expected: version },
          },
        );
      }
      return binary;
    }
    const files = await listFiles(stagingDir);
    if (kind === 'templates' && !files.some((f) => /\.ya?ml$/i.test(f))) {
      throw new ValidationError('the templates archive holds no YAML templates');
    }
    if (files.length === 0) throw new ValidationError(`the ${key} archive is empty`);
    await writeFile(
      join(stagingDir, MARKER),
      JSON.stringify({ key, version, installedAt: new Date().toISOString() }) + '\n',
    );
    return stagingDir;
  }

  /**
   * The swap. The journal is durable before the first rename, so a crash at any point
   * leaves enough to finish or undo on the next start (see recover()).
   */
  private async swap(journal: Journal): Promise<void> {
    const file = this.journalOf(journal.key);
    await writeJsonDurable(file, journal);
    await this.opts.onStep?.('journaled', journal.key);
    let movedCurrent = false;
    try {
      if (journal.backup) {
        await mkdir(dirname(journal.backup), { recursive: true });
        await rename(journal.target, journal.backup);
        movedCurrent = true;
      }
      await this.opts.onStep?.('between-renames', journal.key);
      await rename(journal.staged, journal.target);
      await syncDir(dirname(journal.target));
    } catch (err) {
      // Put the current version back; the journal stays if even that fails, for recover().
      if (movedCurrent && journal.backup && !(await exists(journal.target)))
        await rename(journal.backup, journal.target);
      await removeDurable(file);
      throw new InstallError(`could not swap ${journal.key}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    await this.opts.onStep?.('swapped', journal.key);
    await this.record(journal);
    await removeDurable(file);
  }

  private async record(journal: Journal): Promise<void> {
    await this.state.update(journal.key, (r): ComponentRecord => {
      let backups = r.backups.filter(
        (b) => b.path !== journal.restoredBackup && b.path !== journal.backup,
      );
      if (journal.backup)
        backups = [
          { version: journal.fromVersion, path: journal.backup, at: journal.at },
          ...backups,
        ];
      return { ...r, version: journal.toVersion, installedAt: Date.now(), backups };
    });
  }

  private async pruneBackups(key: string): Promise<void> {
    const record = await this.state.get(key);
    const keep = record.backups.slice(0, this.opts.backupsToKeep);
    const drop = record.backups.slice(this.opts.backupsToKeep);
    if (drop.length === 0) return;
    await this.state.update(key, (r) => ({ ...r, backups: keep }));
    for (const b of drop) await rm(b.path, { recursive: true, force: true });
  }

  /** Backups of a component whose files still exist, newest first. */
  async backups(key: string): Promise<ComponentRecord['backups']> {
    const record = await this.state.get(key);
    const out = [];
    for (const b of record.backups) if (await exists(b.path)) out.push(b);
    return out;
  }

  /** Restore the newest backup; the current version becomes a backup. ERR_NO_BACKUP when none. */
  rollback(key: string, onPhase?: (p: InstallerPhase) => void): Promise<SwapOutcome> {
    return this.serial(key, async () => {
      const [backup] = await this.backups(key);
      if (!backup) throw new NoBackupError(`there is no earlier version of ${key} to roll back to`);
      onPhase?.('rolling-back');
      const target = this.targetOf(key);
      const from = await this.installedVersion(key);
      await this.swap({
        op: 'rollback',
        key,
        target,
        staged: backup.path,
        stagingDir: null,
        backup: (await exists(target)) ? this.newBackupPath(key, from) : null,
        fromVersion: from,
        toVersion: backup.version,
        restoredBackup: backup.path,
        at: Date.now(),
      });
      if (key !== 'core' && backup.version) {
        await writeFile(
          join(target, MARKER),
          JSON.stringify({ key, version: backup.version, installedAt: new Date().toISOString() }) +
            '\n',
        );
      }
      await this.pruneBackups(key);
      return { from, to: backup.version };
    });
  }

  /**
   * Repair interrupted installs (run on start, before anything else touches the
   * components). The state of the three paths tells how far the swap got:
   *  - staged gone, target present: the swap finished; only the record is missing.
   *  - staged present, target gone: crashed between the renames; the staged copy was
   *    already validated, so finish the install (roll forward).
   *  - staged and target present: crashed before the first rename; drop the staging.
   *  - neither present: restore the backup.
   */
  async recover(): Promise<RecoveryReport[]> {
    const dir = join(this.opts.stateDir, 'install-journal');
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const reports: RecoveryReport[] = [];
    for (const name of names) {
      const file = join(dir, name);
      const journal = await readJsonOrNull<Journal>(file).catch(() => null);
      if (!journal) {
        await removeDurable(file);
        continue;
      }
      const stagedThere = await exists(journal.staged);
      const targetThere = await exists(journal.target);
      const backupThere = journal.backup ? await exists(journal.backup) : false;
      let report: RecoveryReport;
      if (!stagedThere && targetThere) {
        await this.record(journal);
        report = { key: journal.key, action: 'completed', version: journal.toVersion };
      } else if (stagedThere && !targetThere) {
        await rename(journal.staged, journal.target);
        await syncDir(dirname(journal.target));
        await this.record(journal);
        report = { key: journal.key, action: 'rolled-forward', version: journal.toVersion };
      } else if (stagedThere && targetThere) {
        report = { key: journal.key, action: 'discarded-staging', version: journal.fromVersion };
      } else {
        if (backupThere && journal.backup) await rename(journal.backup, journal.target);
        report = { key: journal.key, action: 'restored-backup', version: journal.fromVersion };
      }
      if (journal.stagingDir) await rm(journal.stagingDir, { recursive: true, force: true });
      await removeDurable(file);
      reports.push(report);
    }
    return reports;
  }
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}
