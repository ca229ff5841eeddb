/**
 * Preloaded into the adapter (`node --import`) by endings.test.ts, never
 * shipped: on SIGUSR2 the adapter throws an exception nobody catches, or with
 * GDA_TEST_FAULT=rejection leaves a promise rejection unhandled.
 */
process.on('SIGUSR2', () => {
  if (process.env.GDA_TEST_FAULT === 'rejection') void Promise.reject(new Error('injected rejection'));
  else
    setImmediate(() => {
      throw new Error('injected exception');
    });
});
