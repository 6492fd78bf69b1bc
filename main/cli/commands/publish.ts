/**
 * `publish <init|add|sign|rotate|expire|refresh> <repo-dir> ...`: the maintainers' TUF
 * publisher. Builds and signs a static LLMrecon feed (see docs/feed-format.md); serve
 * `<repo-dir>/site/` from any static HTTPS host and ship `site/metadata/1.root.json`.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { toErrorPayload, InvalidArgumentError } from '../../errors';
import { PublisherRepository, ROLES, type RoleName } from '../../update/publisher/repository';
import type { TargetCustom } from '../../update/target-meta';

const USAGE = `Usage: publish <command> <repo-dir> [options] [--json]

  init <dir> [--keys role=N]... [--threshold role=N]... [--expiry role=DAYS]...
        new repository: ed25519 keys per role (root, targets, snapshot, timestamp)
  add <dir> <file> --component core|templates|module --id ID --version SEMVER
        [--channel stable|beta] [--os any|linux|darwin|win32] [--arch any|x64|arm64]
        [--format tar.gz|zip] [--notes TEXT | --notes-file FILE] [--released-at ISO]
        [--min-version SEMVER] [--name NAME]
        add a target with its component metadata; re-signs targets, snapshot, timestamp
  sign <dir> [--timestamp-only]     re-sign snapshot and timestamp (new versions)
  rotate <dir> <role> [--keys N] [--threshold N]
        replace a role's keys; writes the next N.root.json signed by old and new root keys
  expire <dir> <role>               make a role's metadata expired (freeze drills)
  refresh <dir> [role...]           renew expiry (default targets, snapshot, timestamp)

Serve <dir>/site/ over HTTPS; clients ship <dir>/site/metadata/1.root.json.
Keep <dir>/keys/ private and offline.`;

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
  json: boolean;
}

const BOOL = new Set(['--json', '--timestamp-only', '--help', '-h']);

function parse(argv: string[]): Parsed {
  const out: Parsed = { positional: [], flags: new Map(), json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    let value = 'true';
    if (!BOOL.has(name)) {
      const v = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new InvalidArgumentError(`${name} needs a value`);
      value = v;
    }
    out.flags.set(name, [...(out.flags.get(name) ?? []), value]);
  }
  out.json = out.flags.has('--json');
  return out;
}

function one(p: Parsed, name: string): string | undefined {
  return p.flags.get(name)?.at(-1);
}

function role(name: string | undefined): RoleName {
  if (!name || !ROLES.includes(name as RoleName))
    throw new InvalidArgumentError(`role must be one of ${ROLES.join(', ')}`);
  return name as RoleName;
}

function roleNumbers(p: Parsed, flag: string): Partial<Record<RoleName, number>> {
  const out: Partial<Record<RoleName, number>> = {};
  for (const v of p.flags.get(flag) ?? []) {
    const m = /^(root|targets|snapshot|timestamp)=(\d+)$/.exec(v);
    if (!m || Number(m[2]) < 1)
      throw new InvalidArgumentError(`${flag} expects role=N (N >= 1), got ${v}`);
    out[m[1] as RoleName] = Number(m[2]);
  }
  return out;
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new InvalidArgumentError(`${flag} must be a positive integer`);
  return Number(v);
}

function summary(repo: PublisherRepository) {
  return {
    dir: repo.dir,
    site: repo.siteDir,
    trustedRoot: repo.initialRootPath,
    versions: Object.fromEntries(ROLES.map((r) => [r, repo.version(r)])),
    expires: Object.fromEntries(ROLES.map((r) => [r, repo.expires(r)])),
    keyIds: Object.fromEntries(ROLES.map((r) => [r, repo.keyIds(r)])),
    targets: repo.listTargets().length,
  };
}

/** Run `publish`; 0 on success, 1 on failure, 2 on usage errors. */
export async function runPublishCommand(argv: string[], io: Io): Promise<number> {
  let p: Parsed;
  try {
    p = parse(argv);
  } catch (err) {
    io.stderr.write(`error ERR_INVALID_ARGUMENT: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, dir, ...rest] = p.positional;
  if (p.flags.has('--help') || p.flags.has('-h') || !command) {
    io.stdout.write(USAGE + '\n');
    return command || p.flags.has('--help') || p.flags.has('-h') ? 0 : 2;
  }
  const out = (text: string, data: unknown): void => {
    io.stdout.write(p.json ? JSON.stringify(data, null, 2) + '\n' : text + '\n');
  };
  try {
    if (!dir) throw new InvalidArgumentError('the repository folder is required');
    switch (command) {
      case 'init': {
        const repo = await PublisherRepository.init(dir, {
          keys: roleNumbers(p, '--keys'),
          thresholds: roleNumbers(p, '--threshold'),
          expiryDays: roleNumbers(p, '--expiry'),
        });
        out(
          `initialised ${dir}\nserve: ${repo.siteDir}\nship this trusted root with clients: ${repo.initialRootPath}`,
          summary(repo),
        );
        return 0;
      }
      case 'add': {
        const [file] = rest;
        if (!file) throw new InvalidArgumentError('add needs the target file');
        const component = one(p, '--component');
        if (component !== 'core' && component !== 'templates' && component !== 'module') {
          throw new InvalidArgumentError('--component must be core, templates or module');
        }
        const notesFile = one(p, '--notes-file');
        const format = one(p, '--format') ?? (/\.zip$/i.test(file) ? 'zip' : 'tar.gz');
        const custom = {
          component,
          id:
            one(p, '--id') ??
            (component === 'core'
              ? 'llmrecon'
              : component === 'templates'
                ? 'templates'
                : undefined),
          version: one(p, '--version'),
          channel: one(p, '--channel') ?? 'stable',
          os: one(p, '--os') ?? 'any',
          arch: one(p, '--arch') ?? 'any',
          format,
          releaseNotes: notesFile ? await readFile(notesFile, 'utf8') : (one(p, '--notes') ?? ''),
          releasedAt: one(p, '--released-at') ?? new Date().toISOString(),
          minVersion: one(p, '--min-version') ?? null,
          ...(one(p, '--name') ? { name: one(p, '--name') } : {}),
        };
        const repo = await PublisherRepository.open(dir);
        let added;
        try {
          added = await repo.addTarget(file, custom as TargetCustom, { fileName: basename(file) });
        } catch (err) {
          if ((err as { name?: string }).name === 'ZodError')
            throw new InvalidArgumentError(`invalid target metadata: ${(err as Error).message}`);
          throw err;
        }
        out(`added ${added.path} (${added.length} bytes, sha256 ${added.hashes.sha256})`, {
          added,
          repository: summary(repo),
        });
        return 0;
      }
      case 'sign': {
        const repo = await PublisherRepository.open(dir);
        if (p.flags.has('--timestamp-only')) await repo.signTimestamp();
        else await repo.signSnapshotAndTimestamp();
        out(
          `signed: snapshot v${repo.version('snapshot')}, timestamp v${repo.version('timestamp')}`,
          summary(repo),
        );
        return 0;
      }
      case 'rotate': {
        const r = role(rest[0]);
        const repo = await PublisherRepository.open(dir);
        const ids = await repo.rotateKey(r, {
          keys: positiveInt(one(p, '--keys'), '--keys'),
          threshold: positiveInt(one(p, '--threshold'), '--threshold'),
        });
        out(
          `rotated ${r} keys -> ${ids.join(', ')}; published ${repo.version('root')}.root.json`,
          summary(repo),
        );
        return 0;
      }
      case 'expire': {
        const r = role(rest[0]);
        const repo = await PublisherRepository.open(dir);
        await repo.expire(r);
        out(`${r} now expires ${repo.expires(r)} (already past)`, summary(repo));
        return 0;
      }
      case 'refresh': {
        const roles = rest.length ? rest.map((x) => role(x)) : undefined;
        const repo = await PublisherRepository.open(dir);
        await repo.refresh(roles);
        out(
          `refreshed ${(roles ?? ['targets', 'snapshot', 'timestamp']).join(', ')}`,
          summary(repo),
        );
        return 0;
      }
      default:
        throw new InvalidArgumentError(`unknown publish command ${command}`);
    }
  } catch (err) {
    const e = toErrorPayload(err);
    if (p.json) io.stdout.write(JSON.stringify({ error: e }, null, 2) + '\n');
    io.stderr.write(`error ${e.code}: ${e.message}\n`);
    return e.code === 'ERR_INVALID_ARGUMENT' ? 2 : 1;
  }
}
