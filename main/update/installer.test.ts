import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Installer } from './installer';
import { coreArchive, moduleArchive, templatesArchive } from './test-fixtures';

let dir: string;
let archives: string;

function makeInstaller(extra: Partial<ConstructorParameters<typeof Installer>[0]> = {}) {
  return new Installer({
    stateDir: join(dir, 'state'),
    installRoot: join(dir, 'LLMrecon'),
    coreBinaryPath: join(dir, 'LLMrecon', 'bin', 'llmrecon'),
    backupsToKeep: 2,
    validateTimeoutMs: 5000,
    ...extra,
  });
}

async function archive(name: string, data: Buffer): Promise<string> {
  const p = join(archives, name);
  await writeFile(p, data);
  return p;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmrecon-installer-'));
  archives = join(dir, 'archives');
  await import('node:fs/promises').then((f) => f.mkdir(archives));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('installer', () => {
  describe('install()', () => {
    it('installs templates, then updates them keeping the old version as a backup', async () => {
      const inst = makeInstaller();
      expect(
        await inst.install(
          'templates',
          await archive('t1.tgz', templatesArchive('1.0.0')),
          'tar.gz',
          '1.0.0',
        ),
      ).toEqual({ from: null, to: '1.0.0' });
      await inst.install(
        'templates',
        await archive('t2.tgz', templatesArchive('1.1.0')),
        'tar.gz',
        '1.1.0',
      );
      const yaml = await readFile(
        join(dir, 'LLMrecon/templates/prompt-injection/basic.yaml'),
        'utf8',
      );
      expect(yaml).toContain('version: 1.1.0');
      expect((await inst.backups('templates')).map((b) => b.version)).toEqual(['1.0.0']);
      expect(await inst.installedVersion('templates')).toBe('1.1.0');
      // No staging folders are left behind.
      expect((await readdir(join(dir, 'LLMrecon'))).filter((n) => n.includes('staging'))).toEqual(
        [],
      );
    });

    it('installs a module from a zip and a core whose --version matches', async () => {
      const inst = makeInstaller();
      await inst.install(
        'module:openai',
        await archive('m.zip', await moduleArchive('openai', '2.0.0')),
        'zip',
        '2.0.0',
      );
      expect(await readFile(join(dir, 'LLMrecon/modules/openai/module.yaml'), 'utf8')).toContain(
        '2.0.0',
      );
      await inst.install('core', await archive('c.tgz', coreArchive('1.2.0')), 'tar.gz', '1.2.0');
      expect(
        execFileSync(join(dir, 'LLMrecon/bin/llmrecon'), ['--version'], { encoding: 'utf8' }),
      ).toContain('1.2.0');
    });

    it('detects an installed core from --version when nothing was recorded', async () => {
      const inst = makeInstaller();
      await inst.install('core', await archive('c.tgz', coreArchive('1.2.0')), 'tar.gz', '1.2.0');
      await rm(join(dir, 'state', 'install-state.json'));
      expect(await makeInstaller().installedVersion('core')).toBe('1.2.0');
    });

    it('leaves the current core untouched when the new one fails validation', async () => {
      const inst = makeInstaller({ validateTimeoutMs: 1500 });
      await inst.install('core', await archive('c1.tgz', coreArchive('1.0.0')), 'tar.gz', '1.0.0');
      await expect(
        inst.install(
          'core',
          await archive('bad.tgz', coreArchive('1.1.0', { lie: '1.0.9' })),
          'tar.gz',
          '1.1.0',
        ),
      ).rejects.toMatchObject({
        code: 'ERR_VALIDATION_FAILED',
      });
      await expect(
        inst.install(
          'core',
          await archive('hang.tgz', coreArchive('1.1.0', { hang: true })),
          'tar.gz',
          '1.1.0',
        ),
      ).rejects.toMatchObject({
        code: 'ERR_VALIDATION_FAILED',
      });
      expect(
        execFileSync(join(dir, 'LLMrecon/bin/llmrecon'), ['--version'], { encoding: 'utf8' }),
      ).toContain('1.0.0');
      expect(await inst.installedVersion('core')).toBe('1.0.0');
      expect(await inst.backups('core')).toEqual([]);
      expect((await readdir(join(dir, 'LLMrecon/bin'))).sort()).toEqual(['llmrecon']);
    });

    it('leaves the current templates untouched when the archive is unsafe', async () => {
      const inst = makeInstaller();
      await inst.install(
        'templates',
        await archive('t1.tgz', templatesArchive('1.0.0')),
        'tar.gz',
        '1.0.0',
      );
      const { rawTarGz } = await import('./test-archives');
      await expect(
        inst.install(
          'templates',
          await archive('evil.tgz', rawTarGz([{ name: '../../evil', data: 'x' }])),
          'tar.gz',
          '2.0.0',
        ),
      ).rejects.toMatchObject({ code: 'ERR_ARCHIVE_UNSAFE' });
      expect(await inst.installedVersion('templates')).toBe('1.0.0');
      expect(existsSync(join(dir, 'evil'))).toBe(false);
    });

    it('keeps at most N backups', async () => {
      const inst = makeInstaller();
      for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) {
        await inst.install(
          'templates',
          await archive(`t${v}.tgz`, templatesArchive(v)),
          'tar.gz',
          v,
        );
      }
      expect((await inst.backups('templates')).map((b) => b.version)).toEqual(['1.2.0', '1.1.0']);
      expect(await readdir(join(dir, 'LLMrecon/.llmrecon-backups/templates'))).toHaveLength(2);
    });
  });

  describe('rollback()', () => {
    it('restores the newest backup and records the rolled-back version', async () => {
      const inst = makeInstaller();
      await inst.install('core', await archive('c1.tgz', coreArchive('1.0.0')), 'tar.gz', '1.0.0');
      await inst.install('core', await archive('c2.tgz', coreArchive('1.1.0')), 'tar.gz', '1.1.0');
      expect(await inst.rollback('core')).toEqual({ from: '1.1.0', to: '1.0.0' });
      expect(
        execFileSync(join(dir, 'LLMrecon/bin/llmrecon'), ['--version'], { encoding: 'utf8' }),
      ).toContain('1.0.0');
      const record = await inst.state.get('core');
      expect(record.version).toBe('1.0.0');
      expect(record.highest).toBe('1.1.0');
      expect(record.backups.map((b) => b.version)).toEqual(['1.1.0']);
    });

    it('fails with ERR_NO_BACKUP when there is nothing to restore', async () => {
      const inst = makeInstaller();
      await inst.install(
        'templates',
        await archive('t1.tgz', templatesArchive('1.0.0')),
        'tar.gz',
        '1.0.0',
      );
      await expect(inst.rollback('templates')).rejects.toMatchObject({ code: 'ERR_NO_BACKUP' });
    });
  });

  describe('recover()', () => {
    let bundle: string;
    beforeAll(async () => {
      const out = await mkdtemp(join(tmpdir(), 'llmrecon-crash-bundle-'));
      bundle = join(out, 'crash.cjs');
      await writeFile(
        join(out, 'entry.ts'),
        `import { Installer } from ${JSON.stringify(join(__dirname, 'installer'))};
         const a = JSON.parse(process.env.CRASH_ARGS!);
         const inst = new Installer({ ...a.options, onStep: (step: string) => { if (step === a.crashAt) process.kill(process.pid, 'SIGKILL'); } });
         inst.install(a.key, a.archive, a.format, a.version).then(() => process.exit(0), (e) => { console.error(e); process.exit(2); });`,
      );
      await build({
        entryPoints: [join(out, 'entry.ts')],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        outfile: bundle,
        external: ['electron'],
        logLevel: 'silent',
      });
    });
    afterAll(async () => {
      await rm(join(bundle, '..'), { recursive: true, force: true });
    });

    function crashInstall(key: string, archivePath: string, version: string, crashAt: string) {
      const options = {
        stateDir: join(dir, 'state'),
        installRoot: join(dir, 'LLMrecon'),
        coreBinaryPath: join(dir, 'LLMrecon', 'bin', 'llmrecon'),
        backupsToKeep: 2,
      };
      return spawnSync(process.execPath, [bundle], {
        env: {
          ...process.env,
          CRASH_ARGS: JSON.stringify({
            options,
            key,
            archive: archivePath,
            format: 'tar.gz',
            version,
            crashAt,
          }),
        },
        encoding: 'utf8',
      });
    }

    it('finishes an install that was killed between the two renames', async () => {
      const inst = makeInstaller();
      await inst.install(
        'templates',
        await archive('t1.tgz', templatesArchive('1.0.0')),
        'tar.gz',
        '1.0.0',
      );
      const res = crashInstall(
        'templates',
        await archive('t2.tgz', templatesArchive('1.1.0')),
        '1.1.0',
        'between-renames',
      );
      expect(res.signal).toBe('SIGKILL');
      // The crash left no current templates folder at all.
      expect(existsSync(join(dir, 'LLMrecon/templates'))).toBe(false);

      const restarted = makeInstaller();
      const reports = await restarted.recover();
      expect(reports).toEqual([{ key: 'templates', action: 'rolled-forward', version: '1.1.0' }]);
      expect(
        await readFile(join(dir, 'LLMrecon/templates/prompt-injection/basic.yaml'), 'utf8'),
      ).toContain('1.1.0');
      expect(await restarted.installedVersion('templates')).toBe('1.1.0');
      expect((await restarted.backups('templates')).map((b) => b.version)).toEqual(['1.0.0']);
      expect(await restarted.recover()).toEqual([]);
      expect((await readdir(join(dir, 'LLMrecon'))).filter((n) => n.includes('staging'))).toEqual(
        [],
      );
    });

    it('drops the staging of an install killed before the first rename', async () => {
      const inst = makeInstaller();
      await inst.install('core', await archive('c1.tgz', coreArchive('1.0.0')), 'tar.gz', '1.0.0');
      const res = crashInstall(
        'core',
        await archive('c2.tgz', coreArchive('1.1.0')),
        '1.1.0',
        'journaled',
      );
      expect(res.signal).toBe('SIGKILL');
      const restarted = makeInstaller();
      expect(await restarted.recover()).toEqual([
        { key: 'core', action: 'discarded-staging', version: '1.0.0' },
      ]);
      expect(await restarted.installedVersion('core')).toBe('1.0.0');
      expect((await readdir(join(dir, 'LLMrecon/bin'))).sort()).toEqual(['llmrecon']);
    });

    it('records an install killed after the swap', async () => {
      const inst = makeInstaller();
      await inst.install('core', await archive('c1.tgz', coreArchive('1.0.0')), 'tar.gz', '1.0.0');
      crashInstall('core', await archive('c2.tgz', coreArchive('1.1.0')), '1.1.0', 'swapped');
      const restarted = makeInstaller();
      expect(await restarted.recover()).toEqual([
        { key: 'core', action: 'completed', version: '1.1.0' },
      ]);
      expect((await restarted.state.get('core')).version).toBe('1.1.0');
    });
  });
});
