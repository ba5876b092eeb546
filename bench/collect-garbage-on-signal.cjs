// Loaded into the servers the bench starts (`node --expose-gc --require …`), never into a served
// deployment: SIGUSR2 makes the server collect its garbage at once, so that the memory the bench
// reads is what the server holds, not what its last collection happened to leave (see
// `collectGarbage` in load.ts).
if (typeof globalThis.gc === 'function') process.on('SIGUSR2', () => globalThis.gc());
