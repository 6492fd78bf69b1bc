/**
 * SecureClient plugin for bandwidth limits: every response body is paced by the client-wide
 * limit (`bandwidthLimit`) and, when the request carries one, by its job's ThrottleGroup
 * (`init.throttle`), shared by all of the job's segments. Bodies are always wrapped, so a
 * limit set while a transfer runs applies to it at once.
 */
import { pipeline } from 'node:stream';
import type { SecureClientPlugin } from './extensions';
import { ThrottleGroup, TokenBucket } from './throttle-bucket';
import { ThrottleStream } from './throttle-stream';

/** The throttle plugin, with its client-wide bucket. */
export interface ThrottlePlugin extends SecureClientPlugin {
  readonly global: TokenBucket;
}

/** Create the throttle plugin. */
export function createThrottlePlugin(): ThrottlePlugin {
  const global = new TokenBucket(null);
  const sync = (limit: number | null): void => {
    if (global.limit !== limit) global.setLimit(limit);
  };
  return {
    name: 'throttle',
    global,
    onOptions: (o) => sync(o.bandwidthLimit),
    wrapBody(body, ctx) {
      sync(ctx.options.bandwidthLimit);
      const buckets: TokenBucket[] = [global];
      if (ctx.init.throttle instanceof ThrottleGroup) buckets.push(ctx.init.throttle);
      const paced = new ThrottleStream(buckets, ctx.init.highWaterMark);
      // Errors (idle timeout, reset) flow to the consumer; destroying the paced stream
      // (cancellation) destroys the response and its socket.
      pipeline(body, paced, () => {});
      return paced;
    },
  };
}
