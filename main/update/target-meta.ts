/**
 * The custom metadata every LLMrecon target carries in targets.json (see
 * docs/feed-format.md), its validation, and the component keys derived from it.
 */
import semver from 'semver';
import { z } from 'zod';

/** Kinds of LLMrecon component. */
export type ComponentKind = 'core' | 'templates' | 'module';

/** Release channels; beta users also see stable releases. */
export type Channel = 'stable' | 'beta';

/** Archive formats the installer extracts. */
export type ArchiveFormat = 'tar.gz' | 'zip';

const idPattern = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Schema of `targets[path].custom` for an LLMrecon target. */
export const targetCustomSchema = z.object({
  component: z.enum(['core', 'templates', 'module']),
  id: z.string().regex(idPattern),
  version: z.string().refine((v) => semver.valid(v) === v, 'must be a semver version'),
  channel: z.enum(['stable', 'beta']),
  os: z.string().regex(/^(any|linux|darwin|win32|freebsd)$/),
  arch: z.string().regex(/^(any|x64|arm64|ia32|arm)$/),
  format: z.enum(['tar.gz', 'zip']),
  releaseNotes: z.string().max(20_000).default(''),
  releasedAt: z.iso.datetime(),
  minVersion: z
    .string()
    .refine((v) => semver.valid(v) === v, 'must be a semver version')
    .nullable()
    .optional(),
  name: z.string().max(200).optional(),
});

/** Custom metadata of one target, as published. */
export type TargetCustom = z.infer<typeof targetCustomSchema>;

/** A verified target from the feed with its parsed LLMrecon metadata. */
export interface FeedTarget {
  /** TUF target path (unique key in targets.json). */
  path: string;
  length: number;
  hashes: Record<string, string>;
  custom: TargetCustom;
  /** `core`, `templates` or `module:<id>`. */
  key: string;
}

/** Component key for a kind and id: `core`, `templates` or `module:<id>`. */
export function componentKey(kind: ComponentKind, id: string): string {
  return kind === 'module' ? `module:${id}` : kind;
}

/** Parse a component key; throws on anything else. */
export function parseComponentKey(key: string): { kind: ComponentKind; id: string | null } {
  if (key === 'core' || key === 'templates') return { kind: key, id: null };
  const m = /^module:([a-z0-9][a-z0-9._-]{0,127})$/.exec(key);
  if (m) return { kind: 'module', id: m[1] };
  throw new Error(`not a component key: ${key}`);
}

/** Validate one target's custom metadata; returns null (and skips it) when it is not ours or malformed. */
export function parseFeedTarget(
  path: string,
  length: number,
  hashes: Record<string, string>,
  custom: unknown,
): FeedTarget | null {
  const parsed = targetCustomSchema.safeParse(custom);
  if (!parsed.success) return null;
  const c = parsed.data;
  return { path, length, hashes, custom: c, key: componentKey(c.component, c.id) };
}

/** The TUF target path a publisher uses for a release file. */
export function targetPathFor(
  custom: Pick<TargetCustom, 'component' | 'id' | 'version' | 'os' | 'arch'>,
  fileName: string,
): string {
  return `${custom.component}/${custom.id}/${custom.version}/${custom.os}-${custom.arch}/${fileName}`;
}
