import { LoginThrottle } from './login-throttle.model.js';

/**
 * Takes one attempt from a counter's window before the password is checked, in one atomic update, and
 * returns the count including it. Counting first is what makes the limit hold under concurrency: forty
 * simultaneous guesses each take their own number, so no more than `limit` of them get to the password
 * check, however the requests interleave. An expired window (the TTL monitor may not have removed it yet)
 * starts again at 1.
 */
export async function reserveAttempt(key: string, windowMs: number): Promise<number> {
  const now = new Date();
  const live = { $gt: ['$expiresAt', now] };
  const row = await LoginThrottle.findOneAndUpdate(
    { _id: key },
    [
      {
        $set: {
          count: { $cond: [live, { $add: ['$count', 1] }, 1] },
          expiresAt: { $cond: [live, '$expiresAt', new Date(now.getTime() + windowMs)] },
        },
      },
    ],
    { upsert: true, returnDocument: 'after', updatePipeline: true },
  ).lean();
  return row?.count ?? 1;
}

/** Gives a window a fresh end, e.g. a lock that lasts its full length from the failure that set it. */
export async function extendWindow(key: string, ms: number): Promise<void> {
  await LoginThrottle.updateOne({ _id: key }, { $set: { expiresAt: new Date(Date.now() + ms) } });
}

/** Gives back one reserved attempt (a sign-in that succeeded is not a failure). */
export async function returnAttempt(key: string): Promise<void> {
  await LoginThrottle.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
}

export async function clearCounters(keys: string[]): Promise<void> {
  if (keys.length) await LoginThrottle.deleteMany({ _id: { $in: keys } });
}
