// Child process of check-electronegativity.mjs: runs Electronegativity's runner on one
// folder and writes its findings and the files it could not parse as one JSON report.
// The runner is called directly because its CLI hides parse errors whenever a report file
// is requested, and its CSV writer races (the header and the rows are two unordered async
// writes, so under load the header can land after, or truncate, the rows).
//
// Electronegativity also fetches translations and Electron's release list from the
// internet; offline each lookup waits on DNS and got's retries (about 10 s in all). Every
// DNS lookup in this process fails at once, with an error code got does not retry, so it
// falls back immediately. Nothing else here needs the network.
//
// Usage: node scripts/electronegativity-scan.mjs <input-folder> <report.json>
import dns from 'node:dns';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

function blocked(hostname) {
  return Object.assign(
    new Error(`network lookups are disabled for the static scan (${hostname})`),
    { code: 'EACCES', hostname },
  );
}
dns.lookup = function lookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  process.nextTick(cb, blocked(hostname));
};
dns.promises.lookup = async (hostname) => {
  throw blocked(hostname);
};

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: electronegativity-scan.mjs <input-folder> <report.json>');
  process.exit(2);
}
const mod = createRequire(import.meta.url)('@doyensec/electronegativity');
const run = typeof mod === 'function' ? mod : mod.default;
const result = await run(
  {
    input,
    customScan: [],
    excludeFromScan: [],
    isRelative: true,
    isVerbose: false,
    parserPlugins: [],
  },
  false,
);
const findings = result.issues.map((i) => ({
  check: i.id,
  severity: i.severity?.name ?? String(i.severity),
  confidence: i.confidence?.name ?? String(i.confidence),
  file: i.file,
  location: `${i.location?.line ?? 0}:${i.location?.column ?? 0}`,
  sample: i.sample ?? '',
  description: i.description ?? '',
}));
const unparsed = result.errors
  .filter((e) => !e.tolerable)
  .map((e) => ({ file: e.file, why: e.message }));
writeFileSync(output, JSON.stringify({ findings, unparsed }));
