/**
 * Test-only: build a real LLMrecon feed with the publisher (sample core, templates and a
 * module in two versions each) and serve it over TLS 1.3.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPki } from '../test-support/pki';
import { PublisherRepository, type InitOptions } from './publisher/repository';
import type { TargetCustom } from './target-meta';
import { coreArchive, moduleArchive, templatesArchive } from './test-fixtures';
import { startTestFeedServer, type TestFeedServer } from './test-feed-server';

/** A published test feed. */
export interface TestFeed {
  dir: string;
  repo: PublisherRepository;
  server: TestFeedServer;
  close(): Promise<void>;
}

/** Release metadata with sensible test defaults. */
export function release(
  component: TargetCustom['component'],
  id: string,
  version: string,
  extra: Partial<TargetCustom> = {},
): TargetCustom {
  const core = component === 'core';
  return {
    component,
    id,
    version,
    channel: 'stable',
    os: core ? process.platform : 'any',
    arch: core ? process.arch : 'any',
    format: component === 'module' ? 'zip' : 'tar.gz',
    releaseNotes: `${id} ${version}: improvements`,
    releasedAt: new Date('2025-01-01T00:00:00Z').toISOString(),
    ...extra,
  };
}

/** Write an archive to a temp file and publish it. */
export async function publish(
  repo: PublisherRepository,
  dir: string,
  custom: TargetCustom,
  data: Buffer,
): Promise<string> {
  const ext = custom.format === 'zip' ? 'zip' : 'tar.gz';
  const file = join(dir, `${custom.id}-${custom.version}.${ext}`);
  await writeFile(file, data);
  return (await repo.addTarget(file, custom)).path;
}

/** Publish the standard sample set: core, templates and module `openai`, versions 1.0.0 and 1.1.0. */
export async function publishSamples(
  repo: PublisherRepository,
  dir: string,
  versions = ['1.0.0', '1.1.0'],
): Promise<void> {
  for (const v of versions) {
    await publish(repo, dir, release('core', 'llmrecon', v), coreArchive(v));
    await publish(repo, dir, release('templates', 'templates', v), templatesArchive(v));
    await publish(repo, dir, release('module', 'openai', v), await moduleArchive('openai', v));
  }
}

/** A fresh repository with the samples, served on loopback. */
export async function createTestFeed(pki: TestPki, init: InitOptions = {}): Promise<TestFeed> {
  const dir = await mkdtemp(join(tmpdir(), 'llmrecon-feed-'));
  const repo = await PublisherRepository.init(join(dir, 'repo'), init);
  await publishSamples(repo, dir);
  const server = await startTestFeedServer(repo.siteDir, { key: pki.leaf.key, cert: pki.chainPem });
  return { dir, repo, server, close: () => server.close() };
}
