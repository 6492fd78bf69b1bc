/** Ask an LLMrecon core binary for its version (`--version`), with a timeout. */
import { execFile } from 'node:child_process';
import { ValidationError } from './errors';

/** The first semver-looking token of a `--version` output, or null. */
export function parseVersionOutput(output: string): string | null {
  const m =
    /(?<![\d.])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z.-]+)?)/.exec(
      output,
    );
  return m ? m[1] : null;
}

/**
 * Run `<binary> --version` and return the version it prints. A binary that hangs is
 * killed at the timeout; one that fails, prints nothing usable or cannot start raises
 * ERR_VALIDATION_FAILED.
 */
export function readCoreVersion(binary: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ['--version'],
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024,
        windowsHide: true,
        env: { ...process.env, LLMRECON_NO_UPDATE_CHECK: '1' },
      },
      (err, stdout, stderr) => {
        if (err) {
          const why = (err as NodeJS.ErrnoException & { killed?: boolean }).killed
            ? `timed out after ${timeoutMs} ms`
            : err.message;
          reject(new ValidationError(`${binary} --version failed: ${why}`, { cause: err }));
          return;
        }
        const version = parseVersionOutput(`${stdout}\n${stderr}`);
        if (!version)
          reject(
            new ValidationError(`${binary} --version printed no version: ${stdout.slice(0, 200)}`),
          );
        else resolve(version);
      },
    );
  });
}
