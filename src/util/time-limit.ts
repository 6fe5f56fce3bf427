/** `work`, or the error `onTimeout` makes once `ms` have passed. The timer keeps the process
 * alive: a promise that never settles would otherwise let Node exit, with status 0, as if the
 * command had succeeded. */
export async function withTimeLimit<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
