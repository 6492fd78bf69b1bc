/**
 * Pure rules for choosing a release: platform and channel filters, "latest", explicit
 * versions, downgrade refusal and minimum-version gates.
 */
import semver from 'semver';
import { DowngradeError, MinVersionError, TargetNotFoundError } from './errors';
import type { Channel, FeedTarget } from './target-meta';

/** The platform a release must fit. */
export interface Platform {
  os: string;
  arch: string;
}

/** Whether a release built for (os, arch) runs on the platform; `any` fits everything. */
export function fitsPlatform(target: FeedTarget, platform: Platform): boolean {
  const { os, arch } = target.custom;
  return (os === 'any' || os === platform.os) && (arch === 'any' || arch === platform.arch);
}

/** Whether a release on `releaseChannel` is visible to a user on `userChannel`. */
export function fitsChannel(releaseChannel: Channel, userChannel: Channel): boolean {
  return userChannel === 'beta' || releaseChannel === 'stable';
}

/** Releases of one component that fit platform and channel, newest first. */
export function candidatesFor(
  targets: FeedTarget[],
  key: string,
  platform: Platform,
  channel: Channel,
): FeedTarget[] {
  return targets
    .filter(
      (t) => t.key === key && fitsPlatform(t, platform) && fitsChannel(t.custom.channel, channel),
    )
    .sort(
      (a, b) =>
        semver.rcompare(a.custom.version, b.custom.version) || specificity(b) - specificity(a),
    );
}

// A build for this exact os/arch wins over an `any` build of the same version.
function specificity(t: FeedTarget): number {
  return (t.custom.os === 'any' ? 0 : 2) + (t.custom.arch === 'any' ? 0 : 1);
}

/** The newest fitting release of a component, or null. */
export function latestFor(
  targets: FeedTarget[],
  key: string,
  platform: Platform,
  channel: Channel,
): FeedTarget | null {
  return candidatesFor(targets, key, platform, channel)[0] ?? null;
}

/**
 * The release to install: an explicit version (any channel, since the user named it) or
 * the newest on the user's channel. Throws ERR_TARGET_NOT_FOUND.
 */
export function selectRelease(
  targets: FeedTarget[],
  key: string,
  platform: Platform,
  channel: Channel,
  version?: string,
): FeedTarget {
  if (version !== undefined) {
    const found = candidatesFor(targets, key, platform, 'beta').find(
      (t) => t.custom.version === version,
    );
    if (!found)
      throw new TargetNotFoundError(
        `The feed has no ${key} ${version} for ${platform.os}-${platform.arch}.`,
      );
    return found;
  }
  const latest = latestFor(targets, key, platform, channel);
  if (!latest)
    throw new TargetNotFoundError(
      `The feed has no ${channel} release of ${key} for ${platform.os}-${platform.arch}.`,
    );
  return latest;
}

/** Facts the install gate needs about the installed side. */
export interface InstalledFacts {
  installed: string | null;
  /** Highest version ever installed for this component (our own anti-rollback record). */
  highest: string | null;
}

/**
 * Refuse downgrades and too-old bases. A release older than the installed version or
 * than the highest version we ever installed is a downgrade: a compromised or replayed
 * feed must not be able to walk users back onto a vulnerable release, so it needs the
 * user's explicit consent. `minVersion` gates updates from a base too old to migrate.
 */
export function assertInstallAllowed(
  target: FeedTarget,
  facts: InstalledFacts,
  allowDowngrade: boolean,
): void {
  const v = target.custom.version;
  const floor = maxVersion(facts.installed, facts.highest);
  if (floor && semver.lt(v, floor) && !allowDowngrade) {
    throw new DowngradeError(
      `${target.key} ${v} is older than ${floor}${facts.installed === floor ? ' (installed)' : ' (highest installed before)'}; use --allow-downgrade to install it anyway.`,
      { version: v, installed: facts.installed, highest: facts.highest },
    );
  }
  const min = target.custom.minVersion;
  if (min && facts.installed && semver.valid(facts.installed) && semver.lt(facts.installed, min)) {
    throw new MinVersionError(
      `${target.key} ${v} can only be installed over ${min} or newer; ${facts.installed} is installed.`,
      {
        minVersion: min,
        installed: facts.installed,
      },
    );
  }
}

/** Whether a release is newer than what is installed (null installed = not installed: yes). */
export function isUpdate(target: FeedTarget, installed: string | null): boolean {
  return (
    installed === null || !semver.valid(installed) || semver.gt(target.custom.version, installed)
  );
}

/** The larger of two optional semver versions. */
export function maxVersion(a: string | null, b: string | null): string | null {
  if (!a || !semver.valid(a)) return b && semver.valid(b) ? b : null;
  if (!b || !semver.valid(b)) return a;
  return semver.gte(a, b) ? a : b;
}
