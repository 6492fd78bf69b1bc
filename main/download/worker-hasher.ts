/**
 * Hash the part file in a worker thread. The main thread decrypts TLS, parses HTTP and
 * issues writes; hashing on that same thread made it the bottleneck (profile: ~0.7 s of SHA-256
 * per GiB). Here the main thread only tells the worker how far the file is contiguously
 * written from byte 0, and the worker reads those bytes back from the part file (the page
 * cache, just written) and hashes them in order. The digest therefore covers exactly the bytes
 * on disk that will be promoted, including checkpointed ranges adopted on resume.
 */
import { Worker } from 'node:worker_threads';
import type { StreamHasher, WrittenEnd } from './frontier-hasher';

/**
 * The worker's source, evaluated as CommonJS (`eval: true`) so it survives bundling (the CLI
 * and the Electron main process are esbuild bundles without a separate worker file).
 * It reads with positional `readSync` on its own descriptor: blocking is fine in a worker.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const words = new BigInt64Array(workerData.words);
const seq = new Int32Array(workerData.seq);
const fd = openSync(workerData.path, 'r');
const sha256 = createHash('sha256');
const sha512 = workerData.sha512 ? createHash('sha512') : null;
const buf = Buffer.allocUnsafe(workerData.chunk);
let pos = 0;
function upTo(end) {
  while (pos < end) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
    if (n <= 0) throw new Error('the part file ended at ' + pos);
    const b = n === buf.length ? buf : buf.subarray(0, n);
    sha256.update(b);
    if (sha512) sha512.update(b);
    pos += n;
  }
}
try {
  for (;;) {
    const seen = Atomics.load(seq, 0);
    const finish = Number(Atomics.load(words, 1));
    upTo(Number(Atomics.load(words, 0)));
    if (finish === -2) break;
    if (finish >= 0) {
      upTo(finish);
      parentPort.postMessage({ type: 'digest', position: pos, sha256: sha256.digest(), sha512: sha512 ? sha512.digest() : null });
      break;
    }
    if (Number(Atomics.load(words, 0)) <= pos) Atomics.wait(seq, 0, seen);
  }
} catch (err) {
  parentPort.postMessage({ type: 'error', message: String((err && err.message) || err) });
} finally {
  closeSync(fd);
}
`;

const READ_CHUNK = 1024 * 1024;
/** Hand-over granularity: the worker is woken once this much more is written. */
const WAKE_BYTES = 8 * 1024 * 1024;

interface WorkerReply {
  type: 'digest' | 'error';
  position?: number;
  sha256?: Uint8Array;
  sha512?: Uint8Array | null;
  message?: string;
  code?: string;
}

/** Hashes [0, total) of the part file in order, off the main thread. */
export class WorkerHasher implements StreamHasher {
  private readonly worker: Worker;
  /** Everything below this offset has been handed to the worker. */
  private sent = 0;
  private failure: Error | null = null;
  private reply: Promise<WorkerReply>;
  private closed = false;
  /** `sent` at the last wake-up. */
  private woken = 0;
  /** [0] = contiguous written end handed over, [1] = total to finish at (-1 none, -2 stop). */
  private readonly words = new BigInt64Array(new SharedArrayBuffer(16));
  /** Bumped on every change of `words`; the worker sleeps on it with Atomics.wait. */
  private readonly seq = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    partPath: string,
    private readonly writtenEnd: WrittenEnd,
    withSha512: boolean,
  ) {
    Atomics.store(this.words, 1, -1n);
    // Shared memory instead of a message per batch: postMessage to a busy worker cost the main
    // thread ~0.6 ms per call in the profile; a store plus a futex wake costs microseconds.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path: partPath,
        sha512: withSha512,
        chunk: READ_CHUNK,
        words: this.words.buffer,
        seq: this.seq.buffer,
      },
    });
    // The worker never keeps the process alive on its own; `finish` refs it while waiting.
    this.worker.unref();
    this.reply = new Promise<WorkerReply>((resolve) => {
      this.worker.on('message', (m: WorkerReply) => {
        if (m.type === 'error') this.failure = new Error(`hashing failed: ${m.message ?? '?'}`);
        resolve(m);
      });
      this.worker.on('error', (err) => {
        this.failure = err;
        resolve({ type: 'error', message: err.message });
      });
      this.worker.on('exit', (code) => {
        if (!this.closed) this.failure ??= new Error(`the hash worker exited (${code})`);
        resolve({ type: 'error', message: 'exited' });
      });
    });
    // Settles when the worker answers or dies; an unobserved failure must not be unhandled.
    this.reply.catch(() => undefined);
  }

  /** Bytes handed to the worker so far (it hashes them in order). */
  get position(): number {
    return this.sent;
  }

  /** A batch reached the page cache; hand the worker whatever is now contiguous. */
  onWritten(): void {
    this.kick();
  }

  /** Tell the worker how far the file is contiguously written from its frontier. */
  kick(): void {
    if (this.closed || this.failure !== null) return;
    const end = this.writtenEnd(this.sent);
    if (end <= this.sent) return;
    this.sent = end;
    Atomics.store(this.words, 0, BigInt(end));
    // Waking the worker costs a context switch on a busy 2-core box: wake it in bulk.
    if (end - this.woken >= WAKE_BYTES) this.wake();
  }

  /** Hash everything up to `total` and return the digests. */
  async finish(total: number): Promise<{ sha256: Buffer; sha512: Buffer | null }> {
    if (this.failure) throw this.failure;
    this.worker.ref();
    Atomics.store(this.words, 1, BigInt(total));
    this.wake();
    const m = await this.reply;
    if (this.failure) throw this.failure;
    if (m.type !== 'digest' || !m.sha256 || m.position !== total) {
      throw new Error(`internal: hashed ${m.position ?? '?'} of ${total} bytes`);
    }
    return { sha256: Buffer.from(m.sha256), sha512: m.sha512 ? Buffer.from(m.sha512) : null };
  }

  /** Stop the worker (safe to call twice). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.words, 1, -2n);
    this.wake();
    await this.worker.terminate();
  }

  private wake(): void {
    this.woken = this.sent;
    Atomics.add(this.seq, 0, 1);
    Atomics.notify(this.seq, 0);
  }
}
